#include "core/schema/lead_schema.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <utility>

#include "core/lead.hpp"

namespace leadsync {
namespace {

namespace json = boost::json;

constexpr std::array<std::pair<std::string_view, FieldDataType>, 9> kDataTypes{{
    {"Text", FieldDataType::kText},
    {"Number", FieldDataType::kNumber},
    {"Email", FieldDataType::kEmail},
    {"Phone", FieldDataType::kPhone},
    {"Website", FieldDataType::kWebsite},
    {"Date", FieldDataType::kDate},
    {"Time", FieldDataType::kTime},
    {"Select", FieldDataType::kSelect},
    {"Boolean", FieldDataType::kBoolean},
}};

FieldDataType DataTypeOf(std::string_view text) {
  for (const auto& [name, type] : kDataTypes) {
    if (NamesEqual(name, text)) return type;
  }
  return FieldDataType::kOther;
}

std::string StringOf(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Accounts send MaxLength as "50" as often as 50.
std::size_t MaxLengthOf(const json::object& object) {
  const json::value* value = object.if_contains("MaxLength");
  if (value == nullptr) return 0;
  if (value->is_int64()) return static_cast<std::size_t>(std::max<std::int64_t>(0, value->as_int64()));
  if (value->is_uint64()) return static_cast<std::size_t>(value->as_uint64());
  if (!value->is_string()) return 0;
  const std::string_view text = value->as_string();
  std::size_t length = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
  return ec == std::errc() && end == text.data() + text.size() ? length : 0;
}

std::vector<std::string> OptionsOf(const json::object& object) {
  std::vector<std::string> options;
  const json::value* value = object.if_contains("Options");
  if (value == nullptr || !value->is_array()) return options;
  for (const json::value& option : value->as_array()) {
    if (option.is_string()) options.emplace_back(option.as_string());
    if (!option.is_object()) continue;
    std::string text = StringOf(option.as_object(), "Value");
    if (!text.empty()) options.push_back(std::move(text));
  }
  return options;
}

std::optional<SchemaField> FieldOf(const json::value& item) {
  if (!item.is_object()) return std::nullopt;
  const json::object& object = item.as_object();
  SchemaField field;
  field.schema_name = StringOf(object, "SchemaName");
  if (field.schema_name.empty()) return std::nullopt;
  field.display_name = StringOf(object, "DisplayName");
  field.data_type_text = StringOf(object, "DataType");
  field.data_type = DataTypeOf(field.data_type_text);
  const json::value* mandatory = object.if_contains("IsMandatory");
  field.is_mandatory = mandatory != nullptr && mandatory->is_bool() && mandatory->as_bool();
  field.max_length = MaxLengthOf(object);
  if (field.data_type == FieldDataType::kSelect) field.options = OptionsOf(object);
  return field;
}

}  // namespace

std::string_view FieldDataTypeName(FieldDataType type) {
  for (const auto& [name, known] : kDataTypes) {
    if (known == type) return name;
  }
  return "other";
}

LeadSchema::LeadSchema(std::vector<SchemaField> fields) : fields_(std::move(fields)) {
  for (std::size_t i = 0; i < fields_.size(); ++i) index_.Insert(fields_[i].schema_name, i);
}

const SchemaField* LeadSchema::Find(std::string_view schema_name) const {
  const std::optional<std::size_t> at = index_.Find(schema_name);
  return at ? &fields_[*at] : nullptr;
}

std::vector<std::string> LeadSchema::Names() const {
  std::vector<std::string> names;
  names.reserve(fields_.size());
  for (const SchemaField& field : fields_) names.push_back(field.schema_name);
  return names;
}

std::optional<LeadSchema> ParseLeadSchema(std::string_view body, std::string* error) {
  boost::system::error_code ec;
  const json::value answer = json::parse(body, ec);
  if (ec || !answer.is_array()) {
    *error = ec ? "not JSON: " + ec.message() : "not a JSON array of fields";
    return std::nullopt;
  }
  std::vector<SchemaField> fields;
  for (const json::value& item : answer.as_array()) {
    std::optional<SchemaField> field = FieldOf(item);
    if (!field) {
      *error = "a field without a SchemaName";
      return std::nullopt;
    }
    fields.push_back(std::move(*field));
  }
  return LeadSchema(std::move(fields));
}

bool IsSelectOption(const SchemaField& field, std::string_view value) {
  return std::ranges::any_of(field.options,
                             [value](const std::string& option) { return NamesEqual(option, Trim(value)); });
}

std::size_t CharacterCount(std::string_view value) {
  return static_cast<std::size_t>(
      std::ranges::count_if(value, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace leadsync
