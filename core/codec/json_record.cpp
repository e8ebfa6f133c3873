#include "core/codec/json_record.hpp"

#include <utility>
#include <vector>

namespace leadsync {
namespace {

namespace od = simdjson::ondemand;

// raw_json_token() runs up to the next structural character, so it may carry
// the whitespace that follows the number.
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// A document that is one scalar is valid JSON, only not a lead; one that
// merely starts like a scalar ("not json" starts like null) is not JSON.
simdjson::error_code ScalarError(od::document& doc) {
  od::json_type type{};
  if (auto e = doc.type().get(type)) return e;
  simdjson::error_code e = simdjson::SUCCESS;
  if (type == od::json_type::string) {
    std::string_view s;
    e = doc.get_string().get(s);
  } else if (type == od::json_type::number) {
    od::number n;
    e = doc.get_number().get(n);
  } else if (type == od::json_type::boolean) {
    bool b = false;
    e = doc.get_bool().get(b);
  } else if (type == od::json_type::null) {
    bool is_null = false;
    e = doc.is_null().get(is_null);
    if (!e && !is_null) e = simdjson::N_ATOM_ERROR;
  }
  if (!e && doc.current_location().error() != simdjson::OUT_OF_BOUNDS) e = simdjson::TRAILING_CONTENT;
  return e;
}

}  // namespace

JsonRecord RecordReader::Read(Value value, RecordForm form) {
  Lead lead;
  Type type{};
  bool ok = TypeOf(value, type);
  if (ok && type == Type::array) {
    ok = ReadPairs(value, lead);
  } else if (ok && type == Type::object && form == RecordForm::kAny) {
    ok = ReadObject(value, lead);
  } else if (ok) {
    ok = Fail(form == RecordForm::kAny ? "expected an object or an array of pairs"
                                       : "expected an array of pairs");
  }
  if (ok && lead.empty()) ok = Fail("empty record");
  if (!ok) return JsonRecord{std::nullopt, error_, syntax_, category_};
  return JsonRecord{std::move(lead), {}, false};
}

bool RecordReader::ReadObject(Value value, Lead& lead) {
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

bool RecordReader::ReadMember(const std::string& key, Value value, Lead& lead) {
  if (!Count()) return false;
  if (Trim(key).empty()) return Fail("empty attribute name");
  if (NamesEqual(key, "Attribute")) {
    return Fail("field 'Attribute': looks like an API pair; a record in pair form is an array of pairs");
  }
  Type type{};
  if (!TypeOf(value, type)) return false;
  if (type == Type::object) return ReadFlatFieldSet(key, value, lead);
  std::optional<std::string> text;
  if (!ReadScalar(value, Where{{}, {}, key}, text)) return false;
  if (text) lead.Put(Attribute{Rename(key), std::move(*text)});
  return true;
}

bool RecordReader::ReadFlatFieldSet(const std::string& set_name, Value value, Lead& lead) {
  od::object object;
  if (auto e = value.get_object().get(object)) return Fail(e);
  std::vector<Field> fields;
  NameIndex index;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (!Count()) return false;
    if (auto e = std::move(member).get(field)) return Fail(e);
    if (auto e = field.unescaped_key().get(key)) return Fail(e);
    std::string name(key);
    if (Trim(name).empty()) return Fail(Subject(set_name + ".") + ": empty field name");
    std::optional<std::string> text;
    if (!ReadScalar(field.value(), Where{{}, set_name, name}, text)) return false;
    if (text) PutField(fields, index, Field{std::move(name), std::move(*text)});
  }
  // An empty set would send nothing; like null, it leaves the attribute out.
  if (!fields.empty()) lead.Put(Attribute{Rename(set_name), "", true, std::move(fields)});
  return true;
}

bool RecordReader::ReadScalar(Value value, const Where& where, std::optional<std::string>& text) {
  Type type{};
  if (!TypeOf(value, type)) return false;
  switch (type) {
    case Type::string:
      text.emplace();
      return ReadString(value, *text);
    case Type::number:
      return ReadNumber(value, where, text);
    case Type::boolean: {
      bool flag = false;
      if (auto e = value.get_bool().get(flag)) return Fail(e);
      text = flag ? "true" : "false";
      return true;
    }
    case Type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return Fail(e);
      if (empty_ == EmptyValues::kClear) {
        text.emplace();
      } else {
        text.reset();
      }
      return is_null || Fail(simdjson::INCORRECT_TYPE);
    }
    case Type::array:
      return Fail(Subject(where) + ": arrays are not supported");
    case Type::object:
      return Fail(Subject(where) + ": nested objects are not supported");
  }
  return Fail(simdjson::INCORRECT_TYPE);
}

bool RecordReader::ReadNumber(Value value, const Where& where, std::optional<std::string>& text) {
  std::string literal(TrimRight(value.raw_json_token()));
  double parsed = 0;
  if (value.get_double().get(parsed) != simdjson::SUCCESS)
    return Fail(Subject(where) + ": invalid number " + literal);
  text = std::move(literal);
  return true;
}

bool RecordReader::ReadString(Value value, std::string& text) {
  std::string_view view;
  if (auto e = value.get_string().get(view)) return Fail(e);
  text.assign(view);
  return true;
}

bool RecordReader::TypeOf(Value value, Type& type) {
  if (auto e = value.type().get(type)) return Fail(e);
  return true;
}

bool RecordReader::Fail(std::string reason, std::string_view category) {
  error_ = std::move(reason);
  category_ = category;
  return false;
}

bool RecordReader::Fail(simdjson::error_code code) {
  syntax_ = true;
  return Fail(JsonSyntaxError(code), code == simdjson::UTF8_ERROR ? reject::kNotUtf8 : reject::kInvalidJson);
}

bool RecordReader::Count() {
  if (max_attributes_ == kNoAttributeCap || ++count_ <= max_attributes_) return true;
  return Fail("more than " + std::to_string(max_attributes_) + " attributes (max_attributes)",
              reject::kTooManyAttributes);
}

std::string RecordReader::Rename(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? name : it->second;
}

std::string RecordReader::Subject(std::string_view field) { return "field '" + std::string(field) + "'"; }

std::string RecordReader::Subject(const Where& where) {
  if (where.name.empty()) return std::string(where.label);
  if (where.set.empty()) return Subject(where.name);
  return Subject(std::string(where.set) + "." + std::string(where.name));
}

void RecordReader::PutField(std::vector<Field>& fields, NameIndex& index, Field field) {
  const std::size_t at = index.Insert(field.name, fields.size());
  if (at == fields.size()) {
    fields.push_back(std::move(field));
  } else {
    fields[at].value = std::move(field.value);
  }
}

JsonRecord ReadJsonRecord(od::value value, const FieldMap& fields, RecordForm form, int max_attributes,
                          EmptyValues empty) {
  return RecordReader(fields, max_attributes, empty).Read(value, form);
}

JsonRecord ReadJsonDocument(od::parser& parser, std::string_view json, const FieldMap& fields,
                            RecordForm form, int max_attributes, EmptyValues empty) {
  auto broken = [](simdjson::error_code code) {
    return JsonRecord{std::nullopt, JsonSyntaxError(code), true,
                      std::string(code == simdjson::UTF8_ERROR ? reject::kNotUtf8 : reject::kInvalidJson)};
  };
  // One padded copy buffer per thread, reused: records are parsed one at a
  // time, and an allocation per record would cost more than the parse.
  thread_local std::string scratch;
  scratch.assign(json);
  scratch.append(simdjson::SIMDJSON_PADDING, ' ');
  const simdjson::padded_string_view padded(scratch.data(), json.size(), scratch.size());
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return broken(e);
  od::value value;
  if (auto e = doc.get_value().get(value)) {
    if (e != simdjson::SCALAR_DOCUMENT_AS_VALUE) return broken(e);
    if (const simdjson::error_code scalar = ScalarError(doc)) return broken(scalar);
    return JsonRecord{
        std::nullopt,
        form == RecordForm::kAny ? "expected an object or an array of pairs" : "expected an array of pairs",
        false, std::string(reject::kBadValue)};
  }
  JsonRecord record = ReadJsonRecord(value, fields, form, max_attributes, empty);
  if (record.lead && doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return broken(simdjson::TRAILING_CONTENT);
  }
  return record;
}

std::string JsonSyntaxError(simdjson::error_code code) {
  return std::string("invalid JSON: ") + simdjson::error_message(code);
}

}  // namespace leadsync
