#pragma once

// Internal to core/codec: reads one lead out of a simdjson on-demand value.
// Include only from .cpp files of the codec (simdjson is a private dependency).

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/input_parser.hpp"
#include "core/lead.hpp"
#include "core/mapping/empty_values.hpp"
#include "core/name_index.hpp"

namespace leadsync {

enum class RecordForm {
  kAny,    // a flat object or a pair array
  kPairs,  // only the API's pair array
};

// The result of reading one record: a lead, or an error. A `syntax` error
// means the JSON itself is broken and the document cannot be iterated further;
// after any other error the iterator can move on to the next record.
struct JsonRecord {
  std::optional<Lead> lead;
  std::string error;
  bool syntax = false;
  std::string category{};  // of the error: reject::k...
};

// No cap on attributes (records already stored, API bodies).
inline constexpr int kNoAttributeCap = 0;

// Reads one record, flat object or pair array, collecting the first error.
// The flat form is read in json_record.cpp, the pair form in json_pairs.cpp.
// On a data error the reader stops where it is; simdjson skips the rest of
// the record when the caller moves on. With a cap, a record holding more
// than `max_attributes` attributes and custom fields is refused as soon as
// the count is passed. A null is left out, or kept as "" (EmptyValues::kClear).
class RecordReader final {
 public:
  explicit RecordReader(const FieldMap& fields, int max_attributes = kNoAttributeCap,
                        EmptyValues empty = EmptyValues::kSkip)
      : fields_(fields), max_attributes_(max_attributes), empty_(empty) {}
  [[nodiscard]] JsonRecord Read(simdjson::ondemand::value value, RecordForm form);

 private:
  using Value = simdjson::ondemand::value;
  using Type = simdjson::ondemand::json_type;

  // One {"Attribute", "Value", "Fields"} object as written, before it
  // becomes an attribute or a field.
  struct Pair {
    std::optional<std::string> name;
    bool has_value = false;
    std::optional<std::string> value;  // nullopt: null
    std::optional<std::vector<Field>> fields;
  };

  // What an error names: "field 'Set.Name'", or the label ("pair 2") of a
  // pair whose name is not known yet. Only views, made into text when an
  // error needs it: building it for every member made a record of long
  // names and many members quadratic.
  struct Where {
    std::string_view label;
    std::string_view set;   // the field set, empty for an attribute
    std::string_view name;  // empty: not known yet
  };

  bool ReadObject(Value value, Lead& lead);
  bool ReadMember(const std::string& key, Value value, Lead& lead);
  bool ReadFlatFieldSet(const std::string& set_name, Value value, Lead& lead);
  bool ReadPairs(Value value, Lead& lead);
  bool ReadPairObject(Value value, const std::string& label, std::string_view set, bool in_set, Pair& pair);
  bool ReadPairMember(std::string_view key, Value value, const std::string& label, std::string_view set,
                      bool in_set, Pair& pair);
  bool ReadName(Value value, const std::string& label, Pair& pair);
  bool ReadFieldPairs(Value value, const std::string& label, const Pair& set, std::vector<Field>& fields);
  bool ReadScalar(Value value, const Where& where, std::optional<std::string>& text);
  bool ReadNumber(Value value, const Where& where, std::optional<std::string>& text);
  bool ReadString(Value value, std::string& text);
  bool TypeOf(Value value, Type& type);
  bool Fail(std::string reason, std::string_view category = reject::kBadValue);
  bool Fail(simdjson::error_code code);
  // Counts one attribute or field against the cap.
  bool Count();
  [[nodiscard]] std::string Rename(const std::string& name) const;
  static std::string Subject(std::string_view field);
  static std::string Subject(const Where& where);
  // Adds or replaces a field of a set being read (`index` holds its names).
  static void PutField(std::vector<Field>& fields, NameIndex& index, Field field);

  const FieldMap& fields_;
  int max_attributes_;
  EmptyValues empty_;
  int count_ = 0;
  std::string error_;
  std::string category_;
  bool syntax_ = false;
};

[[nodiscard]] JsonRecord ReadJsonRecord(simdjson::ondemand::value value, const FieldMap& fields,
                                        RecordForm form = RecordForm::kAny,
                                        int max_attributes = kNoAttributeCap,
                                        EmptyValues empty = EmptyValues::kSkip);

// Reads a whole text holding exactly one record (a JSONL line, an element of
// a JSON file, a stored record).
[[nodiscard]] JsonRecord ReadJsonDocument(simdjson::ondemand::parser& parser, std::string_view json,
                                          const FieldMap& fields, RecordForm form = RecordForm::kAny,
                                          int max_attributes = kNoAttributeCap,
                                          EmptyValues empty = EmptyValues::kSkip);

[[nodiscard]] std::string JsonSyntaxError(simdjson::error_code code);

}  // namespace leadsync
