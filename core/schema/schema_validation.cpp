#include "core/schema/schema_validation.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "core/schema/schema_check.hpp"

namespace leadsync {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

SchemaValidation::SchemaValidation(SchemaValidationMode mode, const TimeSource& clock, Duration warn_period)
    : mode_(mode), clock_(clock), warn_period_(warn_period) {}

void SchemaValidation::Replace(std::shared_ptr<const LeadSchema> schema) {
  const std::lock_guard lock(mutex_);
  schema_ = std::move(schema);
}

std::shared_ptr<const LeadSchema> SchemaValidation::schema() const {
  const std::lock_guard lock(mutex_);
  return schema_;
}

std::optional<std::string> SchemaValidation::Judge(const Lead& lead, const std::string& source) {
  if (mode_ == SchemaValidationMode::kOff) return std::nullopt;
  const std::shared_ptr<const LeadSchema> current = schema();
  if (!current) return std::nullopt;
  const std::vector<SchemaProblem> problems = CheckLead(lead, *current);
  if (problems.empty()) return std::nullopt;
  if (mode_ == SchemaValidationMode::kReject) {
    // A bounded reason: a record may carry thousands of unknown names.
    std::string reason;
    const std::size_t shown = std::min(problems.size(), kMaxReasons);
    for (std::size_t i = 0; i < shown; ++i) reason += (i == 0 ? "" : "; ") + problems[i].message;
    if (shown < problems.size()) reason += "; and " + std::to_string(problems.size() - shown) + " more";
    return reason;
  }
  for (const SchemaProblem& problem : problems) {
    if (WarnNow(problem.attribute)) {
      spdlog::warn("source {}: {}; sent all the same (leadsquared.validate: warn)", source, problem.message);
    }
  }
  return std::nullopt;
}

bool SchemaValidation::WarnNow(const std::string& attribute) {
  const TimePoint now = clock_.Now();
  const std::lock_guard lock(mutex_);
  // Names come from the input (a webhook body): the map and the log stay
  // bounded whatever a sender invents.
  if (warned_.size() >= kMaxWarnedAttributes) {
    // Pruned only once an entry can have expired: a record with thousands of
    // unknown names must not walk the whole map for each of them.
    if (now >= next_expiry_) {
      std::erase_if(warned_, [&](const auto& entry) { return now - entry.second >= warn_period_; });
      next_expiry_ = TimePoint::max();
      for (const auto& entry : warned_) next_expiry_ = std::min(next_expiry_, entry.second + warn_period_);
    }
    if (warned_.size() >= kMaxWarnedAttributes && !warned_.contains(Lower(attribute))) return false;
  }
  auto [at, fresh] = warned_.try_emplace(Lower(attribute), now);
  if (fresh) return true;
  if (now - at->second < warn_period_) return false;
  at->second = now;
  return true;
}

}  // namespace leadsync
