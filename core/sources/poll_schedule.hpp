#pragma once

#include <cstdint>
#include <random>

#include "core/clock.hpp"

namespace leadsync {

// When a periodic task (a source's poll) runs next: every `period` while it
// succeeds, after consecutive failures twice as long each time up to
// max(period, max_backoff); every wait jittered by ±10% so that sources
// started together drift apart. Not thread-safe.
class PollSchedule final {
 public:
  static constexpr Duration kMaxBackoff{5 * 60 * 1000};

  explicit PollSchedule(Duration period, Duration max_backoff = kMaxBackoff,
                        std::uint64_t seed = std::random_device{}());

  // The wait after a poll that succeeded; forgets earlier failures.
  [[nodiscard]] Duration AfterSuccess();
  // The wait after one more failure in a row.
  [[nodiscard]] Duration AfterFailure();
  [[nodiscard]] int failures() const { return failures_; }

 private:
  [[nodiscard]] Duration Jittered(Duration wait);

  Duration period_;
  Duration max_backoff_;
  int failures_ = 0;
  std::mt19937_64 random_;
};

}  // namespace leadsync
