#include "sandbox/lead_store.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace leadsync {
namespace {

bool IsEmail(std::string_view attribute) { return NamesEqual(attribute, "EmailAddress"); }
bool IsPhone(std::string_view attribute) { return NamesEqual(attribute, "Phone"); }

std::string ValueOf(const Lead& lead, std::string_view attribute) {
  const Attribute* found = lead.Find(attribute);
  return found == nullptr ? std::string() : found->value;
}

Lead WithoutSearchBy(const Lead& record) {
  Lead lead;
  for (const Attribute& attribute : record.attributes()) {
    if (!NamesEqual(attribute.name, "SearchBy")) lead.Append(attribute);
  }
  return lead;
}

// The attribute that finds the record's lead, or an error for the row.
std::string SearchAttribute(const Lead& record, std::string& error) {
  std::string attribute = record.SearchAttribute();
  if (attribute.empty()) {
    error = "Lead search key missing: the record has neither EmailAddress nor Phone";
  } else if (record.Find(attribute) == nullptr || Trim(ValueOf(record, attribute)).empty()) {
    error = "SearchBy names " + attribute + ", which the record does not set";
  }
  return attribute;
}

}  // namespace

std::string PhoneDigits(std::string_view phone) {
  std::string digits;
  std::copy_if(phone.begin(), phone.end(), std::back_inserter(digits),
               [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  return digits;
}

ApplyResult LeadStore::Apply(const Lead& record) {
  ApplyResult result;
  const std::string attribute = SearchAttribute(record, result.error);
  if (!result.error.empty()) return result;
  const std::optional<std::size_t> match = Match(attribute, ValueOf(record, attribute));
  if (!match) {
    leads_.push_back(StoredLead{NewLeadId(), WithoutSearchBy(record)});
    Index(leads_.size() - 1);
    result.lead_id = leads_.back().id;
    result.created = true;
    return result;
  }
  Unindex(*match);
  leads_[*match].lead.MergeFrom(WithoutSearchBy(record));
  Index(*match);
  result.lead_id = leads_[*match].id;
  result.updated = true;
  return result;
}

std::optional<std::size_t> LeadStore::Match(std::string_view attribute, std::string_view value) const {
  const auto& index = IsEmail(attribute) ? by_email_ : by_phone_;
  if (IsEmail(attribute) || IsPhone(attribute)) {
    const auto found = index.find(IsEmail(attribute) ? NormaliseEmail(value) : PhoneDigits(value));
    return found == index.end() ? std::nullopt : std::optional<std::size_t>(found->second);
  }
  const std::string wanted = Trim(value);
  for (std::size_t i = 0; i < leads_.size(); ++i) {
    if (NamesEqual(Trim(ValueOf(leads_[i].lead, attribute)), wanted)) return i;
  }
  return std::nullopt;
}

// Two leads may share a phone (one created by e-mail, one by phone): the
// index keeps the first, as a search would find it first.
void LeadStore::Index(std::size_t index) {
  const Lead& lead = leads_[index].lead;
  if (std::string email = NormaliseEmail(ValueOf(lead, "EmailAddress")); !email.empty()) {
    by_email_.emplace(std::move(email), index);
  }
  if (std::string phone = PhoneDigits(ValueOf(lead, "Phone")); !phone.empty()) {
    by_phone_.emplace(std::move(phone), index);
  }
}

void LeadStore::Unindex(std::size_t index) {
  const Lead& lead = leads_[index].lead;
  const auto erase = [index](auto& map, const std::string& key) {
    if (auto found = map.find(key); found != map.end() && found->second == index) map.erase(found);
  };
  erase(by_email_, NormaliseEmail(ValueOf(lead, "EmailAddress")));
  erase(by_phone_, PhoneDigits(ValueOf(lead, "Phone")));
}

const StoredLead* LeadStore::Find(std::string_view key) const {
  if (auto found = by_email_.find(NormaliseEmail(key)); found != by_email_.end())
    return &leads_[found->second];
  if (auto found = by_phone_.find(PhoneDigits(key)); found != by_phone_.end()) return &leads_[found->second];
  return nullptr;
}

void LeadStore::Clear() {
  leads_.clear();
  by_email_.clear();
  by_phone_.clear();
}

// Random (version 4) UUID text, as LeadSquared's LeadIds look.
std::string LeadStore::NewLeadId() {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char bytes[16];
  for (unsigned char& b : bytes) b = static_cast<unsigned char>(byte(generator_));
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", bytes[i]);
    text += hex;
  }
  return text;
}

}  // namespace leadsync
