#pragma once

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/lead.hpp"

namespace leadsync {

// A lead as the sandbox keeps it: LeadSquared's id and the merged pairs.
struct StoredLead {
  std::string id;
  Lead lead;  // never holds SearchBy
};

// What one record did to the store; `error` set (and no id) when the record
// could not be matched to or made into a lead.
struct ApplyResult {
  std::string lead_id;
  bool created = false;
  bool updated = false;
  std::string error;
};

// The sandbox's in-memory leads with LeadSquared's create-or-update rule: a
// record finds its lead by the attribute its SearchBy pair names, else by
// EmailAddress (case-insensitive), else by Phone (digits only); the record's
// pairs are merged into it (later value wins, custom field set Fields merge),
// or a new lead with a random UUID v4 is made. Not thread-safe.
class LeadStore final {
 public:
  explicit LeadStore(std::mt19937& generator) : generator_(generator) {}

  ApplyResult Apply(const Lead& record);

  // The lead whose EmailAddress or Phone matches `key`, if any.
  [[nodiscard]] const StoredLead* Find(std::string_view key) const;
  [[nodiscard]] const std::vector<StoredLead>& leads() const { return leads_; }
  void Clear();

 private:
  [[nodiscard]] std::optional<std::size_t> Match(std::string_view attribute, std::string_view value) const;
  void Unindex(std::size_t index);
  void Index(std::size_t index);
  [[nodiscard]] std::string NewLeadId();

  std::mt19937& generator_;
  std::vector<StoredLead> leads_;
  std::unordered_map<std::string, std::size_t> by_email_;
  std::unordered_map<std::string, std::size_t> by_phone_;
};

// Phone numbers compare by their digits alone.
[[nodiscard]] std::string PhoneDigits(std::string_view phone);

}  // namespace leadsync
