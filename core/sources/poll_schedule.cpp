#include "core/sources/poll_schedule.hpp"

#include <algorithm>

namespace leadsync {

PollSchedule::PollSchedule(Duration period, Duration max_backoff, std::uint64_t seed)
    : period_(period), max_backoff_(std::max(period, max_backoff)), random_(seed) {}

Duration PollSchedule::AfterSuccess() {
  failures_ = 0;
  return Jittered(period_);
}

Duration PollSchedule::AfterFailure() {
  ++failures_;
  Duration wait = period_;
  // Doubling stops at the ceiling, long before the count could overflow it.
  for (int i = 0; i < failures_ && wait < max_backoff_; ++i) wait *= 2;
  return Jittered(std::min(wait, max_backoff_));
}

Duration PollSchedule::Jittered(Duration wait) {
  std::uniform_int_distribution<Duration::rep> spread(wait.count() * 9 / 10, wait.count() * 11 / 10);
  return Duration{spread(random_)};
}

}  // namespace leadsync
