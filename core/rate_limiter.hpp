#pragma once

#include <deque>
#include <optional>
#include <span>

#include "core/clock.hpp"

namespace leadsync {

struct RateLimiterOptions {
  int requests = 25;               // the configured ceiling per window
  Duration per{5000};              // window length
  Duration margin{50};             // added to the window: the server counts on arrival
  double decrease_factor = 0.5;    // multiplicative decrease on 429
  Duration increase_after{30000};  // quiet time before probing one call higher
};

// Sliding-window limiter with AIMD adaptation: never more than the effective
// limit of call starts in any window of `per` + `margin`; a 429 halves the
// effective limit (never below 1) and Retry-After blocks all starts; after
// `increase_after` without a 429 the limit grows by one, up to the ceiling.
// Pure logic: callers pass the time. Not thread-safe.
class RateLimiter final {
 public:
  explicit RateLimiter(RateLimiterOptions options);

  // Earliest time a call may start (>= now).
  [[nodiscard]] TimePoint NextStart(TimePoint now);
  // Records a call start; the caller checked NextStart first.
  void RecordStart(TimePoint at);
  // Seeds the window with starts a previous process made (from the queue).
  void Restore(std::span<const TimePoint> starts);

  void OnThrottled(TimePoint now, std::optional<Duration> retry_after);
  void OnAccepted(TimePoint now);

  // Applies a new ceiling (config reload); keeps the window.
  void Reconfigure(RateLimiterOptions options);

  [[nodiscard]] int EffectiveLimit() const { return effective_; }
  [[nodiscard]] Duration Window() const { return options_.per + options_.margin; }

 private:
  void Expire(TimePoint now);

  RateLimiterOptions options_;
  int effective_;
  std::deque<TimePoint> starts_;
  TimePoint blocked_until_{};
  TimePoint last_change_{};
};

}  // namespace leadsync
