#include "sandbox/bulk_request.hpp"

#include <simdjson.h>

namespace leadsync {
namespace {

namespace dom = simdjson::dom;

// Reads {"Attribute": NAME, "Value": TEXT}; `what` names the pair in errors.
bool ReadPair(dom::object pair, const std::string& what, std::string& name, std::string& value,
              std::string& error) {
  std::string_view text;
  if (pair["Attribute"].get_string().get(text) != simdjson::SUCCESS || text.empty()) {
    error = what + ": \"Attribute\" must be a non-empty string";
    return false;
  }
  name = std::string(text);
  dom::element element;
  if (pair["Value"].get(element) != simdjson::SUCCESS || element.is_null()) {
    value.clear();
    return true;
  }
  if (element.get_string().get(text) != simdjson::SUCCESS) {
    error = what + ": \"Value\" of " + name + " must be a string";
    return false;
  }
  value = std::string(text);
  return true;
}

bool ReadFields(dom::array fields, const std::string& what, Attribute& attribute, std::string& error) {
  attribute.is_field_set = true;
  for (dom::element element : fields) {
    dom::object object;
    Field field;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      error = what + ": Fields of " + attribute.name + " must hold objects";
      return false;
    }
    if (!ReadPair(object, what + " " + attribute.name, field.name, field.value, error)) return false;
    attribute.fields.push_back(std::move(field));
  }
  return true;
}

std::optional<Attribute> ReadAttribute(dom::element element, const std::string& what, std::string& error) {
  dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    error = what + ": a pair must be an object";
    return std::nullopt;
  }
  Attribute attribute;
  if (!ReadPair(object, what, attribute.name, attribute.value, error)) return std::nullopt;
  dom::element fields_element;
  if (object["Fields"].get(fields_element) != simdjson::SUCCESS || fields_element.is_null()) return attribute;
  dom::array fields;
  if (fields_element.get_array().get(fields) != simdjson::SUCCESS) {
    error = what + ": Fields of " + attribute.name + " must be an array";
    return std::nullopt;
  }
  if (!ReadFields(fields, what, attribute, error)) return std::nullopt;
  return attribute;
}

std::optional<BulkRecord> ReadRecord(dom::element element, std::size_t row, std::string& error) {
  const std::string what = "record " + std::to_string(row);
  dom::array pairs;
  if (element.get_array().get(pairs) != simdjson::SUCCESS) {
    error = what + " is not an array of pairs";
    return std::nullopt;
  }
  BulkRecord record;
  for (dom::element pair : pairs) {
    auto attribute = ReadAttribute(pair, what, error);
    if (!attribute) return std::nullopt;
    record.lead.Append(std::move(*attribute));
  }
  record.json = simdjson::minify(element);
  return record;
}

}  // namespace

std::optional<std::vector<BulkRecord>> ParseBulkRequest(std::string_view body, std::string* error) {
  std::string why;
  auto fail = [&]() -> std::optional<std::vector<BulkRecord>> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  dom::parser parser;
  dom::element root;
  if (auto code = parser.parse(body.data(), body.size()).get(root)) {
    why = std::string("invalid JSON: ") + simdjson::error_message(code);
    return fail();
  }
  dom::array records;
  if (root.get_array().get(records) != simdjson::SUCCESS) {
    why = "the body must be a JSON array of records";
    return fail();
  }
  std::vector<BulkRecord> result;
  for (dom::element element : records) {
    auto record = ReadRecord(element, result.size() + 1, why);
    if (!record) return fail();
    result.push_back(std::move(*record));
  }
  return result;
}

}  // namespace leadsync
