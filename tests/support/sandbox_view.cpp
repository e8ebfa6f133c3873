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

// How SandboxLeads keys a lead.
std::string ViewKey(const json::object& lead) {
  if (const auto* email = lead.if_contains("EmailAddress"); email != nullptr && email->is_string())
    return NormaliseEmail(email->as_string());
  const auto* phone = lead.if_contains("Phone");
  return phone != nullptr && phone->is_string() ? NormalisePhone(phone->as_string()) : "";
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

std::map<std::string, std::vector<std::string>> SandboxHistory(std::uint16_t port) {
  std::map<std::string, std::vector<std::string>> history;
  const json::value all = Get(port, "/sandbox/history");
  for (const auto& lead : all.at("leads").as_array()) {
    std::vector<std::string>& values = history[ViewKey(lead.as_object())];
    for (const auto& value : lead.at("values").as_array()) values.emplace_back(value.as_string());
  }
  return history;
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

std::vector<std::int64_t> SandboxNumbers(std::uint16_t port, const std::string& name) {
  const json::value state = Get(port, "/sandbox/state");
  std::vector<std::int64_t> numbers;
  for (const json::value& n : state.at(name).as_array()) numbers.push_back(n.to_number<std::int64_t>());
  return numbers;
}

}  // namespace leadsync::testing
