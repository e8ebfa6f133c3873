#pragma once

#include <optional>
#include <random>

#include "core/clock.hpp"

namespace leadsync {

struct BackoffOptions {
  Duration initial{1000};
  Duration max{60000};
};

// Exponential backoff with full jitter: the delay before retry number
// `attempt` (1-based) is uniform in [0, min(max, initial * 2^(attempt-1))],
// and never shorter than the server's Retry-After. Not thread-safe.
class Backoff final {
 public:
  explicit Backoff(BackoffOptions options, std::uint64_t seed = std::random_device{}());

  [[nodiscard]] Duration Delay(int attempt, std::optional<Duration> retry_after = std::nullopt);
  // The upper bound of the jitter for `attempt`.
  [[nodiscard]] Duration Ceiling(int attempt) const;
  void Reconfigure(BackoffOptions options) { options_ = options; }

 private:
  BackoffOptions options_;
  std::mt19937_64 random_;
};

}  // namespace leadsync
