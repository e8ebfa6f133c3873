#include "core/codec/json_record.hpp"

// The API's own record form: [{"Attribute": NAME, "Value": V, "Fields": [...]}, ...]

namespace leadsync {

namespace od = simdjson::ondemand;

bool RecordReader::ReadPairs(Value value, Lead& lead) {
  od::array pairs;
  if (auto e = value.get_array().get(pairs)) return Fail(e);
  std::size_t index = 0;
  for (auto element : pairs) {
    Value item;
    if (!Count()) return false;
    if (auto e = element.get(item)) return Fail(e);
    Pair pair;
    if (!ReadPairObject(item, "pair " + std::to_string(++index), {}, false, pair)) return false;
    std::string name = Rename(*pair.name);
    if (pair.fields) {
      lead.Put(Attribute{std::move(name), pair.value.value_or(""), true, std::move(*pair.fields)});
    } else if (pair.value) {
      lead.Put(Attribute{std::move(name), std::move(*pair.value)});
    }
  }
  return true;
}

bool RecordReader::ReadPairObject(Value value, const std::string& label, std::string_view set, bool in_set,
                                  Pair& pair) {
  Type type{};
  if (!TypeOf(value, type)) return false;
  if (type != Type::object) return Fail(label + ": expected an {\"Attribute\", \"Value\"} object");
  od::object object;
  if (auto e = value.get_object().get(object)) return Fail(e);
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(member).get(field)) return Fail(e);
    if (auto e = field.unescaped_key().get(key)) return Fail(e);
    if (!ReadPairMember(key, field.value(), label, set, in_set, pair)) return false;
  }
  if (!pair.name) return Fail(label + ": missing Attribute");
  if (!pair.has_value && !pair.fields)
    return Fail(Subject(Where{label, set, *pair.name}) + ": missing Value");
  return true;
}

bool RecordReader::ReadPairMember(std::string_view key, Value value, const std::string& label,
                                  std::string_view set, bool in_set, Pair& pair) {
  const Where where{label, set, pair.name ? std::string_view(*pair.name) : std::string_view()};
  if (NamesEqual(key, "Attribute")) return ReadName(value, label, pair);
  if (NamesEqual(key, "Value")) {
    pair.has_value = true;
    return ReadScalar(value, where, pair.value);
  }
  if (NamesEqual(key, "Fields")) {
    if (in_set) return Fail(Subject(where) + ": nested field sets are not supported");
    pair.fields.emplace();
    return ReadFieldPairs(value, label, pair, *pair.fields);
  }
  return true;  // LeadSquared ignores keys it does not know; so do we
}

bool RecordReader::ReadName(Value value, const std::string& label, Pair& pair) {
  Type type{};
  if (!TypeOf(value, type)) return false;
  if (type != Type::string) return Fail(label + ": Attribute must be a string");
  std::string name;
  if (!ReadString(value, name)) return false;
  if (Trim(name).empty()) return Fail(label + ": empty Attribute");
  pair.name = std::move(name);
  return true;
}

bool RecordReader::ReadFieldPairs(Value value, const std::string& label, const Pair& set,
                                  std::vector<Field>& fields) {
  const std::string_view set_name = set.name ? std::string_view(*set.name) : std::string_view();
  Type type{};
  if (!TypeOf(value, type)) return false;
  if (type != Type::array) {
    return Fail((set.name ? Subject(*set.name) : label) + ": Fields must be an array of pairs");
  }
  od::array array;
  if (auto e = value.get_array().get(array)) return Fail(e);
  std::size_t count = 0;
  NameIndex index;
  for (auto element : array) {
    Value item;
    if (!Count()) return false;
    if (auto e = element.get(item)) return Fail(e);
    Pair pair;
    if (!ReadPairObject(item, label + "." + std::to_string(++count), set_name, true, pair)) return false;
    if (pair.value) PutField(fields, index, Field{std::move(*pair.name), std::move(*pair.value)});
  }
  return true;
}

}  // namespace leadsync
