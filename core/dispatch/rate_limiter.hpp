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

// Sliding-window limiter that adapts to the server's real limit: never more
// than the effective limit of call starts in any window of `per` + `margin`.
// A 429 lowers the effective limit to the calls the server accepted in the
// last window (it just told us that is all it takes), or halves it when none
// were accepted; Retry-After blocks all starts. After `increase_after`
// without a 429 the limit grows by one, up to the ceiling: a wrong ceiling
// costs one 429 per probe, not a stalled queue.
// Pure logic: callers pass the time. Not thread-safe.
class RateLimiter final {
 public:
  explicit RateLimiter(RateLimiterOptions options);

  // Earliest time a call may start (>= now).
  [[nodiscard]] TimePoint NextStart(TimePoint now);
  // Records a call start; the caller checked NextStart first.
  void RecordStart(TimePoint at);
  // Moves a recorded start to when the call really left (after the queue
  // handed out its batch), so the window matches what the server counts.
  void Restamp(TimePoint recorded, TimePoint sent);
  // Seeds the window with starts a previous process made (from the queue).
  void Restore(std::span<const TimePoint> starts);

  void OnThrottled(TimePoint now, std::optional<Duration> retry_after);
  // A call sent at `sent` was accepted; `now` is when its answer came.
  void OnAccepted(TimePoint sent, TimePoint now);

  // Applies a new ceiling (config reload); keeps the window.
  void Reconfigure(RateLimiterOptions options);

  [[nodiscard]] int EffectiveLimit() const { return effective_; }
  [[nodiscard]] Duration Window() const { return options_.per + options_.margin; }

 private:
  void Expire(TimePoint now);

  RateLimiterOptions options_;
  int effective_;
  std::deque<TimePoint> starts_;
  std::deque<TimePoint> accepted_;  // send times of accepted calls, last window
  TimePoint blocked_until_{};
  TimePoint last_change_{};
};

}  // namespace leadsync
