#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/name_index.hpp"

// The account's own lead fields, as LeadSquared lists them in
// `GET /v2/LeadManagement.svc/LeadsMetaData.Get`: plain data, parsed once
// and read by `check --online`, the ingest check and the sandbox.
namespace leadsync {

enum class FieldDataType {
  kText,
  kNumber,
  kEmail,
  kPhone,
  kWebsite,
  kDate,
  kTime,
  kSelect,
  kBoolean,
  kOther
};

// "Text", "Number", ... as the API writes them; "other" for kOther.
[[nodiscard]] std::string_view FieldDataTypeName(FieldDataType type);

// One lead field of the account.
struct SchemaField {
  std::string schema_name;  // the attribute, as sent in a bulk call: "EmailAddress", "mx_City"
  std::string display_name;
  FieldDataType data_type = FieldDataType::kText;
  std::string data_type_text;  // as the API wrote it (kOther keeps what it was)
  bool is_mandatory = false;
  std::size_t max_length = 0;        // characters (UTF-8 code points); 0: no limit stated
  std::vector<std::string> options;  // a Select's values; empty for other types
  bool operator==(const SchemaField&) const = default;
};

// Every lead field of one account, in the order the API listed them. Names
// compare case-insensitively, as LeadSquared compares attributes.
// Immutable once built; thread-safe to read.
class LeadSchema final {
 public:
  LeadSchema() = default;
  explicit LeadSchema(std::vector<SchemaField> fields);

  [[nodiscard]] const std::vector<SchemaField>& fields() const { return fields_; }
  [[nodiscard]] const SchemaField* Find(std::string_view schema_name) const;
  // Every schema name, for "did you mean".
  [[nodiscard]] std::vector<std::string> Names() const;

 private:
  std::vector<SchemaField> fields_;
  NameIndex index_;  // schema name -> position in fields_: Find is O(1)
};

// Reads an answer of LeadsMetaData.Get: a JSON array of objects, each with
// at least a string SchemaName; DataType, IsMandatory (true/false),
// MaxLength (a number or a numeric string, as accounts send both) and
// Options (an array of {"Value": ...} objects, or of strings) are read when
// present, anything else ignored. nullopt with `error` set when the text is
// not such an array.
[[nodiscard]] std::optional<LeadSchema> ParseLeadSchema(std::string_view body, std::string* error);

// Whether `value` is one of a Select field's options (case-insensitive).
[[nodiscard]] bool IsSelectOption(const SchemaField& field, std::string_view value);

// The number of characters (UTF-8 code points) of `value`, as MaxLength counts.
[[nodiscard]] std::size_t CharacterCount(std::string_view value);

}  // namespace leadsync
