#include "tests/support/sandbox_view.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "core/lead.hpp"
#include "tests/support/http.hpp"

namespace leadsync::testing {
namespace json = boost::json;

namespace {

json::value Get(std::uint16_t port, const std::string& target) {
  HttpResult r = HttpRequest(port, "GET", target);
  if (r.status != 200) throw std::runtime_error("GET " + target + " answered " + std::to_string(r.status));
  return json::parse(r.body);
}

LeadView View(const json::array& pairs) {
  LeadView view;
  for (const auto& p : pairs) {
    const auto& pair = p.as_object();
    const std::string name(pair.at("Attribute").as_string());
    if (const auto* fields = pair.if_contains("Fields"); fields != nullptr && fields->is_array()) {
      for (const auto& f : fields->as_array()) {
        view[name + "." + std::string(f.at("Attribute").as_string())] =
            std::string(f.at("Value").as_string());
      }
      continue;
    }
    view[name] = std::string(pair.at("Value").as_string());
  }
  return view;
}

}  // namespace

std::map<std::string, LeadView> SandboxLeads(std::uint16_t port) {
  std::map<std::string, LeadView> leads;
  const json::value all = Get(port, "/sandbox/leads");
  for (const auto& lead : all.as_array()) {
    LeadView view = View(lead.at("attributes").as_array());
    const std::string key = view.count("EmailAddress") != 0 ? NormaliseEmail(view["EmailAddress"])
                                                            : NormalisePhone(view["Phone"]);
    leads[key] = std::move(view);
  }
  return leads;
}

std::int64_t SandboxNumber(std::uint16_t port, const std::string& name) {
  json::value state = Get(port, "/sandbox/state");
  if (name.rfind("status:", 0) == 0) {
    const auto& by_status = state.at("by_status").as_object();
    const auto* n = by_status.if_contains(name.substr(7));
    return n == nullptr ? 0 : n->to_number<std::int64_t>();
  }
  return state.at(name).to_number<std::int64_t>();
}

}  // namespace leadsync::testing
