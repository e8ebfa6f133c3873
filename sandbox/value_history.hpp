#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/lead.hpp"

namespace leadsync {

// The values one attribute took in the records the sandbox applied, per lead
// and in the order it applied them: how a test sees that the changes to one
// lead reached LeadSquared in the order they were made (at-least-once allows
// a value twice, never an older one after a newer). Off while `attribute` is
// empty; a record without the attribute adds nothing. Memory grows with
// every tracked record, so it is for bounded runs. Not thread-safe.
class ValueHistory final {
 public:
  explicit ValueHistory(std::string attribute) : attribute_(std::move(attribute)) {}

  void Record(const std::string& lead_id, const Lead& record) {
    if (attribute_.empty()) return;
    if (const Attribute* found = record.Find(attribute_); found != nullptr) {
      values_[lead_id].push_back(found->value);
    }
  }

  // The values applied to the lead `lead_id`, oldest first (empty: none).
  [[nodiscard]] const std::vector<std::string>& Of(std::string_view lead_id) const {
    static const std::vector<std::string> kNone;
    const auto found = values_.find(std::string(lead_id));
    return found == values_.end() ? kNone : found->second;
  }

  [[nodiscard]] const std::string& attribute() const { return attribute_; }
  void Clear() { values_.clear(); }

 private:
  std::string attribute_;
  std::unordered_map<std::string, std::vector<std::string>> values_;
};

}  // namespace leadsync
