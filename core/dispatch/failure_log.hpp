#pragma once

#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace leadsync {

// Logs a failure that repeats (the API down, a source erroring) when it
// starts, every `period` while it lasts with a count, and when it ends,
// instead of once per retry. Pure bookkeeping plus spdlog; not thread-safe.
class FailureLog final {
 public:
  FailureLog(std::string subject, Duration period = Duration{60'000});

  // One more failure; logs only at the start and once a period.
  void Failed(const std::string& what, TimePoint now);
  // A success: logs the end of a failure streak, if any.
  void Succeeded(TimePoint now);

  [[nodiscard]] bool failing() const { return count_ > 0; }
  [[nodiscard]] std::uint64_t count() const { return count_; }

 private:
  std::string subject_;
  Duration period_;
  std::uint64_t count_ = 0;
  std::uint64_t count_at_last_log_ = 0;
  TimePoint since_{};
  TimePoint last_log_{};
};

}  // namespace leadsync
