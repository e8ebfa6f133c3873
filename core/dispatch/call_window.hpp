#pragma once

#include <deque>
#include <span>

#include "core/clock.hpp"

namespace leadsync {

// The start times of recent calls, oldest first, and when one more call may
// start under a limit of `calls` per `window`. A daily cap keeps about ten
// thousand starts here, so every lookup is a binary search, never a scan.
// Pure bookkeeping: callers pass the time. Not thread-safe.
class CallWindow final {
 public:
  void Add(TimePoint at);
  // Moves a start to a later time (when the call really left).
  void Move(TimePoint from, TimePoint to);
  void Forget(TimePoint before);

  // The earliest time >= now at which a start keeps every window of
  // `window` holding at most `calls` starts.
  [[nodiscard]] TimePoint Earliest(int calls, Duration window, TimePoint now) const;
  // Starts in (now - window, now].
  [[nodiscard]] int CountIn(Duration window, TimePoint now) const;
  [[nodiscard]] std::size_t size() const { return starts_.size(); }

 private:
  std::deque<TimePoint> starts_;
};

}  // namespace leadsync
