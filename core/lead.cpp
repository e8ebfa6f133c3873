#include "core/lead.hpp"

#include <algorithm>
#include <cctype>

namespace leadsync {
namespace {

// ASCII only, as std::tolower in the "C" locale the daemon runs in, without
// a call per character: names are compared on every attribute of every lead.
constexpr char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

}  // namespace

bool NamesEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Lower(x) == Lower(y); });
}

std::string Trim(std::string_view value) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!value.empty() && space(value.front())) value.remove_prefix(1);
  while (!value.empty() && space(value.back())) value.remove_suffix(1);
  return std::string(value);
}

std::string NormaliseEmail(std::string_view value) { return ToLower(Trim(value)); }

std::string NormalisePhone(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '+' || std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out.find_first_of("0123456789") == std::string::npos ? std::string() : out;
}

Lead::Lead(std::vector<Attribute> attributes) {
  attributes_.reserve(attributes.size());
  for (Attribute& attribute : attributes) Add(std::move(attribute));
}

std::optional<std::size_t> Lead::Position(std::string_view name) const {
  if (!index_.empty()) return index_.Find(name);
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (NamesEqual(attributes_[i].name, name)) return i;
  }
  return std::nullopt;
}

void Lead::Add(Attribute attribute) {
  attributes_.push_back(std::move(attribute));
  if (attributes_.size() <= kScanLimit) return;
  if (index_.empty()) {
    // Crossing the limit: index what was scanned so far. Insert keeps the
    // first of duplicate names, as a scan finds the first.
    for (std::size_t i = 0; i < attributes_.size(); ++i) index_.Insert(attributes_[i].name, i);
  } else {
    index_.Insert(attributes_.back().name, attributes_.size() - 1);
  }
}

const Attribute* Lead::Find(std::string_view name) const {
  const std::optional<std::size_t> at = Position(name);
  return at ? &attributes_[*at] : nullptr;
}

void Lead::Set(std::string_view name, std::string value) {
  if (const std::optional<std::size_t> at = Position(name)) {
    attributes_[*at].value = std::move(value);
  } else {
    Add(Attribute{std::string(name), std::move(value)});
  }
}

void Lead::SetFields(std::string_view set_name, std::vector<Field> fields) {
  const std::optional<std::size_t> at = Position(set_name);
  if (!at) {
    Add(Attribute{std::string(set_name), "", true, std::move(fields)});
    return;
  }
  Attribute& set = attributes_[*at];
  set.is_field_set = true;
  MergeNamed(set.fields, fields);
}

void Lead::AppendField(std::string_view set_name, Field field) {
  if (const std::optional<std::size_t> at = Position(set_name)) {
    Attribute& set = attributes_[*at];
    set.value.clear();  // as Put() of a set does
    set.is_field_set = true;
    set.fields.push_back(std::move(field));
  } else {
    Add(Attribute{std::string(set_name), "", true, {std::move(field)}});
  }
}

void Lead::Put(Attribute attribute) {
  const std::optional<std::size_t> at = Position(attribute.name);
  if (!at) {
    Add(std::move(attribute));
    return;
  }
  Attribute& old = attributes_[*at];
  old.value = std::move(attribute.value);
  if (attribute.is_field_set) {
    old.is_field_set = true;
    MergeNamed(old.fields, attribute.fields);
  }
}

void Lead::MergeFrom(const Lead& newer) {
  if (&newer == this) return;
  for (const Attribute& a : newer.attributes_) Put(a);
}

std::string Lead::SearchAttribute() const {
  if (const Attribute* by = Find("SearchBy"); by != nullptr && !Trim(by->value).empty()) {
    return Trim(by->value);
  }
  if (const Attribute* email = Find("EmailAddress"); email != nullptr && !Trim(email->value).empty()) {
    return "EmailAddress";
  }
  if (const Attribute* phone = Find("Phone"); phone != nullptr && !NormalisePhone(phone->value).empty()) {
    return "Phone";
  }
  return {};
}

std::optional<std::string> LeadKey(const Lead& lead, std::string* reason) {
  auto fail = [&](std::string why) -> std::optional<std::string> {
    if (reason != nullptr) *reason = std::move(why);
    return std::nullopt;
  };
  std::string attribute = lead.SearchAttribute();
  if (attribute.empty()) return fail("no key: neither EmailAddress nor Phone is set");
  const Attribute* field = lead.Find(attribute);
  if (field == nullptr) return fail("no key: SearchBy names " + attribute + ", which the lead does not set");
  std::string value;
  if (NamesEqual(attribute, "EmailAddress")) {
    value = NormaliseEmail(field->value);
  } else if (NamesEqual(attribute, "Phone") || NamesEqual(attribute, "Mobile")) {
    value = NormalisePhone(field->value);
  } else {
    value = Trim(field->value);
  }
  if (value.empty()) return fail("no key: " + attribute + " is empty");
  return ToLower(attribute) + ":" + value;
}

}  // namespace leadsync
