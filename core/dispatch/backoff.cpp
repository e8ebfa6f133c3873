#include "core/dispatch/backoff.hpp"

#include <algorithm>

namespace leadsync {

Backoff::Backoff(BackoffOptions options, std::uint64_t seed) : options_(options), random_(seed) {}

Duration Backoff::Ceiling(int attempt) const {
  const int doublings = std::clamp(attempt - 1, 0, 40);
  const auto initial = std::max<std::int64_t>(options_.initial.count(), 1);
  const std::int64_t cap = options_.max.count();
  // Doubling stops as soon as it passes the cap, so it cannot overflow.
  std::int64_t ceiling = initial;
  for (int i = 0; i < doublings && ceiling < cap; ++i) ceiling *= 2;
  return Duration{std::min(ceiling, cap)};
}

Duration Backoff::Delay(int attempt, std::optional<Duration> retry_after) {
  std::uniform_int_distribution<std::int64_t> pick(0, Ceiling(attempt).count());
  const Duration jittered{pick(random_)};
  return std::max(jittered, retry_after.value_or(Duration{0}));
}

}  // namespace leadsync
