#include "core/lead.hpp"

#include <algorithm>
#include <cctype>

namespace leadsync {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

void MergeFields(std::vector<Field>& into, const std::vector<Field>& newer) {
  for (const Field& f : newer) {
    auto it =
        std::find_if(into.begin(), into.end(), [&](const Field& g) { return NamesEqual(g.name, f.name); });
    if (it == into.end()) {
      into.push_back(f);
    } else {
      it->value = f.value;
    }
  }
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

const Attribute* Lead::Find(std::string_view name) const {
  auto it = std::find_if(attributes_.begin(), attributes_.end(),
                         [&](const Attribute& a) { return NamesEqual(a.name, name); });
  return it == attributes_.end() ? nullptr : &*it;
}

void Lead::Set(std::string_view name, std::string value) {
  auto it = std::find_if(attributes_.begin(), attributes_.end(),
                         [&](const Attribute& a) { return NamesEqual(a.name, name); });
  if (it == attributes_.end()) {
    attributes_.push_back(Attribute{std::string(name), std::move(value)});
  } else {
    it->value = std::move(value);
  }
}

void Lead::SetFields(std::string_view set_name, std::vector<Field> fields) {
  auto it = std::find_if(attributes_.begin(), attributes_.end(),
                         [&](const Attribute& a) { return NamesEqual(a.name, set_name); });
  if (it == attributes_.end()) {
    attributes_.push_back(Attribute{std::string(set_name), "", true, std::move(fields)});
    return;
  }
  it->is_field_set = true;
  MergeFields(it->fields, fields);
}

void Lead::Put(Attribute attribute) {
  auto it = std::find_if(attributes_.begin(), attributes_.end(),
                         [&](const Attribute& b) { return NamesEqual(b.name, attribute.name); });
  if (it == attributes_.end()) {
    attributes_.push_back(std::move(attribute));
    return;
  }
  it->value = std::move(attribute.value);
  if (attribute.is_field_set) {
    it->is_field_set = true;
    MergeFields(it->fields, attribute.fields);
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
