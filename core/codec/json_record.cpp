#include "core/codec/json_record.hpp"

#include <utility>
#include <vector>

namespace leadsync {
namespace {

namespace od = simdjson::ondemand;
using od::json_type;

std::string Subject(std::string_view field) { return "field '" + std::string(field) + "'"; }

// raw_json_token() runs up to the next structural character, so it may carry
// the whitespace that follows the number.
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

void PutField(std::vector<Field>& fields, Field field) {
  for (Field& f : fields) {
    if (NamesEqual(f.name, field.name)) {
      f.value = std::move(field.value);
      return;
    }
  }
  fields.push_back(std::move(field));
}

// One {"Attribute", "Value", "Fields"} object as written, before it becomes
// an attribute or a field.
struct Pair {
  std::optional<std::string> name;
  bool has_value = false;
  std::optional<std::string> value;  // nullopt: null
  std::optional<std::vector<Field>> fields;
};

class RecordReader final {
 public:
  explicit RecordReader(const FieldMap& fields) : fields_(fields) {}
  JsonRecord Read(od::value value, RecordForm form);

 private:
  bool ReadObject(od::value value, Lead& lead);
  bool ReadMember(const std::string& key, od::value value, Lead& lead);
  bool ReadFlatFieldSet(const std::string& set_name, od::value value, Lead& lead);
  bool ReadPairs(od::value value, Lead& lead);
  bool ReadPairObject(od::value value, const std::string& label, const std::string& prefix, bool in_set,
                      Pair& pair);
  bool ReadPairMember(std::string_view key, od::value value, const std::string& label,
                      const std::string& prefix, bool in_set, Pair& pair);
  bool ReadName(od::value value, const std::string& label, Pair& pair);
  bool ReadFieldPairs(od::value value, const std::string& label, const Pair& set, std::vector<Field>& fields);
  bool ReadScalar(od::value value, const std::string& subject, std::optional<std::string>& text);
  bool ReadNumber(od::value value, const std::string& subject, std::optional<std::string>& text);
  bool ReadString(od::value value, std::string& text);
  bool TypeOf(od::value value, json_type& type);
  bool Fail(std::string reason);
  bool Fail(simdjson::error_code code);
  [[nodiscard]] std::string Rename(const std::string& name) const;

  const FieldMap& fields_;
  std::string error_;
  bool syntax_ = false;
};

JsonRecord RecordReader::Read(od::value value, RecordForm form) {
  Lead lead;
  json_type type{};
  bool ok = TypeOf(value, type);
  if (ok && type == json_type::array) {
    ok = ReadPairs(value, lead);
  } else if (ok && type == json_type::object && form == RecordForm::kAny) {
    ok = ReadObject(value, lead);
  } else if (ok) {
    ok = Fail(form == RecordForm::kAny ? "expected an object or an array of pairs" : "expected an array of pairs");
  }
  if (ok && lead.empty()) ok = Fail("empty record");
  if (!ok) return JsonRecord{std::nullopt, error_, syntax_};
  return JsonRecord{std::move(lead), {}, false};
}

bool RecordReader::ReadObject(od::value value, Lead& lead) {
  od::object object;
  if (auto e = value.get_object().get(object)) return Fail(e);
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(member).get(field)) return Fail(e);
    if (auto e = field.unescaped_key().get(key)) return Fail(e);
    if (!ReadMember(std::string(key), field.value(), lead)) return false;
  }
  return true;
}

bool RecordReader::ReadMember(const std::string& key, od::value value, Lead& lead) {
  if (Trim(key).empty()) return Fail("empty attribute name");
  if (NamesEqual(key, "Attribute")) {
    return Fail("field 'Attribute': looks like an API pair; a record in pair form is an array of pairs");
  }
  json_type type{};
  if (!TypeOf(value, type)) return false;
  if (type == json_type::object) return ReadFlatFieldSet(key, value, lead);
  std::optional<std::string> text;
  if (!ReadScalar(value, Subject(key), text)) return false;
  if (text) lead.Put(Attribute{Rename(key), std::move(*text)});
  return true;
}

bool RecordReader::ReadFlatFieldSet(const std::string& set_name, od::value value, Lead& lead) {
  od::object object;
  if (auto e = value.get_object().get(object)) return Fail(e);
  std::vector<Field> fields;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(member).get(field)) return Fail(e);
    if (auto e = field.unescaped_key().get(key)) return Fail(e);
    std::string name(key);
    if (Trim(name).empty()) return Fail(Subject(set_name + ".") + ": empty field name");
    std::optional<std::string> text;
    if (!ReadScalar(field.value(), Subject(set_name + "." + name), text)) return false;
    if (text) PutField(fields, Field{std::move(name), std::move(*text)});
  }
  // An empty set would send nothing; like null, it leaves the attribute out.
  if (!fields.empty()) lead.Put(Attribute{Rename(set_name), "", true, std::move(fields)});
  return true;
}

bool RecordReader::ReadPairs(od::value value, Lead& lead) {
  od::array pairs;
  if (auto e = value.get_array().get(pairs)) return Fail(e);
  std::size_t index = 0;
  for (auto element : pairs) {
    od::value item;
    if (auto e = element.get(item)) return Fail(e);
    Pair pair;
    if (!ReadPairObject(item, "pair " + std::to_string(++index), "", false, pair)) return false;
    std::string name = Rename(*pair.name);
    if (pair.fields) {
      lead.Put(Attribute{std::move(name), pair.value.value_or(""), true, std::move(*pair.fields)});
    } else if (pair.value) {
      lead.Put(Attribute{std::move(name), std::move(*pair.value)});
    }
  }
  return true;
}

bool RecordReader::ReadPairObject(od::value value, const std::string& label, const std::string& prefix,
                                  bool in_set, Pair& pair) {
  json_type type{};
  if (!TypeOf(value, type)) return false;
  if (type != json_type::object) return Fail(label + ": expected an {\"Attribute\", \"Value\"} object");
  od::object object;
  if (auto e = value.get_object().get(object)) return Fail(e);
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(member).get(field)) return Fail(e);
    if (auto e = field.unescaped_key().get(key)) return Fail(e);
    if (!ReadPairMember(key, field.value(), label, prefix, in_set, pair)) return false;
  }
  if (!pair.name) return Fail(label + ": missing Attribute");
  if (!pair.has_value && !pair.fields) return Fail(Subject(prefix + *pair.name) + ": missing Value");
  return true;
}

bool RecordReader::ReadPairMember(std::string_view key, od::value value, const std::string& label,
                                  const std::string& prefix, bool in_set, Pair& pair) {
  std::string subject = pair.name ? Subject(prefix + *pair.name) : label;
  if (NamesEqual(key, "Attribute")) return ReadName(value, label, pair);
  if (NamesEqual(key, "Value")) {
    pair.has_value = true;
    return ReadScalar(value, subject, pair.value);
  }
  if (NamesEqual(key, "Fields")) {
    if (in_set) return Fail(subject + ": nested field sets are not supported");
    pair.fields.emplace();
    return ReadFieldPairs(value, label, pair, *pair.fields);
  }
  return true;  // LeadSquared ignores keys it does not know; so do we
}

bool RecordReader::ReadName(od::value value, const std::string& label, Pair& pair) {
  json_type type{};
  if (!TypeOf(value, type)) return false;
  if (type != json_type::string) return Fail(label + ": Attribute must be a string");
  std::string name;
  if (!ReadString(value, name)) return false;
  if (Trim(name).empty()) return Fail(label + ": empty Attribute");
  pair.name = std::move(name);
  return true;
}

bool RecordReader::ReadFieldPairs(od::value value, const std::string& label, const Pair& set,
                                  std::vector<Field>& fields) {
  std::string prefix = set.name ? *set.name + "." : "";
  json_type type{};
  if (!TypeOf(value, type)) return false;
  if (type != json_type::array) {
    return Fail((set.name ? Subject(*set.name) : label) + ": Fields must be an array of pairs");
  }
  od::array array;
  if (auto e = value.get_array().get(array)) return Fail(e);
  std::size_t index = 0;
  for (auto element : array) {
    od::value item;
    if (auto e = element.get(item)) return Fail(e);
    Pair pair;
    if (!ReadPairObject(item, label + "." + std::to_string(++index), prefix, true, pair)) return false;
    if (pair.value) PutField(fields, Field{std::move(*pair.name), std::move(*pair.value)});
  }
  return true;
}

bool RecordReader::ReadScalar(od::value value, const std::string& subject, std::optional<std::string>& text) {
  json_type type{};
  if (!TypeOf(value, type)) return false;
  switch (type) {
    case json_type::string:
      text.emplace();
      return ReadString(value, *text);
    case json_type::number:
      return ReadNumber(value, subject, text);
    case json_type::boolean: {
      bool flag = false;
      if (auto e = value.get_bool().get(flag)) return Fail(e);
      text = flag ? "true" : "false";
      return true;
    }
    case json_type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return Fail(e);
      text.reset();
      return is_null || Fail(simdjson::INCORRECT_TYPE);
    }
    case json_type::array:
      return Fail(subject + ": arrays are not supported");
    case json_type::object:
      return Fail(subject + ": nested objects are not supported");
  }
  return Fail(simdjson::INCORRECT_TYPE);
}

bool RecordReader::ReadNumber(od::value value, const std::string& subject, std::optional<std::string>& text) {
  std::string literal(TrimRight(value.raw_json_token()));
  double parsed = 0;
  if (value.get_double().get(parsed) != simdjson::SUCCESS) return Fail(subject + ": invalid number " + literal);
  text = std::move(literal);
  return true;
}

bool RecordReader::ReadString(od::value value, std::string& text) {
  std::string_view view;
  if (auto e = value.get_string().get(view)) return Fail(e);
  text.assign(view);
  return true;
}

bool RecordReader::TypeOf(od::value value, json_type& type) {
  if (auto e = value.type().get(type)) return Fail(e);
  return true;
}

bool RecordReader::Fail(std::string reason) {
  error_ = std::move(reason);
  return false;
}

bool RecordReader::Fail(simdjson::error_code code) {
  syntax_ = true;
  return Fail(JsonSyntaxError(code));
}

std::string RecordReader::Rename(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? name : it->second;
}

}  // namespace

JsonRecord ReadJsonRecord(od::value value, const FieldMap& fields, RecordForm form) {
  return RecordReader(fields).Read(value, form);
}

JsonRecord ReadJsonDocument(od::parser& parser, std::string_view json, const FieldMap& fields, RecordForm form) {
  auto broken = [](simdjson::error_code code) { return JsonRecord{std::nullopt, JsonSyntaxError(code), true}; };
  simdjson::padded_string padded(json);
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return broken(e);
  od::value value;
  if (auto e = doc.get_value().get(value)) {
    if (e != simdjson::SCALAR_DOCUMENT_AS_VALUE) return broken(e);
    return JsonRecord{std::nullopt, form == RecordForm::kAny ? "expected an object or an array of pairs"
                                                             : "expected an array of pairs"};
  }
  JsonRecord record = ReadJsonRecord(value, fields, form);
  if (record.lead && doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return broken(simdjson::TRAILING_CONTENT);
  }
  return record;
}

std::string JsonSyntaxError(simdjson::error_code code) {
  return std::string("invalid JSON: ") + simdjson::error_message(code);
}

}  // namespace leadsync
