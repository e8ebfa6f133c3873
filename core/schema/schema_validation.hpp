#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/lead.hpp"
#include "core/schema/lead_schema.hpp"

namespace leadsync {

// `leadsquared.validate`: what ingest does with a record the account's
// schema says LeadSquared would refuse.
enum class SchemaValidationMode {
  kOff,     // nothing is checked
  kWarn,    // sent all the same; one warning per attribute per warn period
  kReject,  // refused at ingest (rejection category `schema`), never sent
};

// The ingest-time check against the account's schema, shared by every
// source. The schema task (on the loop) replaces the schema; sources judge
// their records on the queue thread: every method is thread-safe (a mutex;
// Judge holds it only to read the schema pointer and its warning times).
// Without a schema (none fetched yet, none kept), every record passes.
class SchemaValidation final {
 public:
  static constexpr std::size_t kMaxWarnedAttributes = 1000;
  static constexpr std::size_t kMaxReasons = 10;  // problems named in a refusal; the rest counted

  SchemaValidation(SchemaValidationMode mode, const TimeSource& clock,
                   Duration warn_period = std::chrono::hours(1));

  [[nodiscard]] SchemaValidationMode mode() const { return mode_; }
  void Replace(std::shared_ptr<const LeadSchema> schema);
  [[nodiscard]] std::shared_ptr<const LeadSchema> schema() const;

  // nullopt when `lead` may be sent; else (kReject) why it is refused:
  // its first kMaxReasons problems' messages, joined by "; ", and how many more. With kWarn it always passes,
  // and each problem is logged as a warning naming `source` unless its attribute was warned about within the
  // warn period (at most kMaxWarnedAttributes attributes are warned about in one period; the rest pass
  // silently).
  [[nodiscard]] std::optional<std::string> Judge(const Lead& lead, const std::string& source);

 private:
  [[nodiscard]] bool WarnNow(const std::string& attribute);

  const SchemaValidationMode mode_;
  const TimeSource& clock_;
  const Duration warn_period_;
  mutable std::mutex mutex_;
  std::shared_ptr<const LeadSchema> schema_;
  std::map<std::string, TimePoint> warned_;  // lower-cased attribute -> last warning
  TimePoint next_expiry_{};                  // when a full warned_ may have an entry to prune
};

}  // namespace leadsync
