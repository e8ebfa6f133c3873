#include "core/sources/webhook_body.hpp"

#include <simdjson.h>

namespace leadsync {
namespace {

namespace od = simdjson::ondemand;

constexpr std::string_view kNotALead =
    "expected a lead (an object or an array of pairs) or an array of leads";

WebhookBody Refuse(std::size_t index, std::string error, std::string category = "invalid_json") {
  return WebhookBody{{}, BodyProblem{std::move(error), index, std::move(category)}};
}

std::string Malformed(simdjson::error_code code) {
  return std::string("invalid JSON: ") + simdjson::error_message(code);
}

// An object with an "Attribute" key is an API pair, not a flat lead.
bool IsPairObject(std::string_view object_json) {
  simdjson::padded_string padded(object_json);
  od::parser parser;
  od::document doc;
  od::object object;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(object) != simdjson::SUCCESS) {
    return false;
  }
  od::value ignored;
  return object.find_field_unordered("Attribute").get(ignored) == simdjson::SUCCESS;
}

// The text of one array element, which must be an object or an array.
simdjson::error_code ElementText(od::value value, std::string_view& text, bool& is_object) {
  od::json_type type{};
  if (auto e = value.type().get(type)) return e;
  is_object = type == od::json_type::object;
  if (is_object) {
    od::object object;
    if (auto e = value.get_object().get(object)) return e;
    return object.raw_json().get(text);
  }
  if (type != od::json_type::array) return simdjson::INCORRECT_TYPE;
  od::array array;
  if (auto e = value.get_array().get(array)) return e;
  return array.raw_json().get(text);
}

// Each lead's text, or the problem. A body that is itself one lead yields one text.
std::optional<BodyProblem> SplitLeads(std::string_view body, std::vector<std::string_view>& leads) {
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  od::json_type type{};
  if (auto e = parser.iterate(padded).get(doc)) return BodyProblem{Malformed(e), 0, "invalid_json"};
  if (auto e = doc.type().get(type)) return BodyProblem{Malformed(e), 0, "invalid_json"};
  if (type == od::json_type::object) {
    leads.push_back(body);
    return std::nullopt;
  }
  if (type != od::json_type::array) return BodyProblem{std::string(kNotALead), 0, "invalid_json"};
  od::array array;
  if (auto e = doc.get_array().get(array)) return BodyProblem{Malformed(e), 0, "invalid_json"};
  for (auto element : array) {
    const std::size_t index = leads.size();
    od::value value;
    std::string_view text;
    bool is_object = false;
    if (auto e = element.get(value)) return BodyProblem{Malformed(e), index, "invalid_json"};
    if (auto e = ElementText(value, text, is_object)) {
      if (e == simdjson::INCORRECT_TYPE) return BodyProblem{std::string(kNotALead), index, "bad_value"};
      return BodyProblem{Malformed(e), index, "invalid_json"};
    }
    if (index == 0 && is_object && IsPairObject(text)) {
      leads.assign(1, body);
      return std::nullopt;
    }
    // `text` points into the padded copy, which has the body's layout.
    leads.push_back(body.substr(static_cast<std::size_t>(text.data() - padded.data()), text.size()));
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return BodyProblem{Malformed(simdjson::TRAILING_CONTENT), leads.size(), "invalid_json"};
  }
  return std::nullopt;
}

}  // namespace

WebhookBody DecodeWebhookBody(std::string_view body, const IngestOptions& options) {
  std::vector<std::string_view> texts;
  if (std::optional<BodyProblem> problem = SplitLeads(body, texts))
    return WebhookBody{{}, std::move(problem)};
  WebhookBody out;
  out.leads.reserve(texts.size());
  for (std::size_t index = 0; index < texts.size(); ++index) {
    // One lead as a one-element JSON input: the same reader, renames and keys as a spool file.
    const std::string one = "[" + std::string(texts[index]) + "]";
    IngestBatch batch = Ingest(one, InputFormat::kJson, options, "request");
    if (!batch.rejections.empty()) {
      const Rejection& first = batch.rejections.front();
      return Refuse(index, first.reason, first.category);
    }
    for (IncomingLead& lead : batch.leads) out.leads.push_back(std::move(lead));
  }
  return out;
}

}  // namespace leadsync
