#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <set>

#include "core/timer.hpp"

namespace leadsync::testing {

class ManualTimer;

// A Clock whose time moves only when told to; timers waiting on it wake
// when it passes their deadline. With RunSimulated, code that waits minutes
// of rate limits and backoff runs in milliseconds. Now() may be read on any
// thread (a test looking at the queue); everything else on the loop thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(boost::asio::any_io_executor executor,
                       TimePoint start = TimePoint{Duration{1'700'000'000'000}})
      : executor_(std::move(executor)), now_(start) {}

  [[nodiscard]] TimePoint Now() const override { return now_.load(); }
  [[nodiscard]] std::unique_ptr<Timer> MakeTimer() override;

  // Moves time forward to `t` and wakes every timer due by then.
  void AdvanceTo(TimePoint t);
  void Advance(Duration d) { AdvanceTo(Now() + d); }
  // The earliest deadline a timer waits for.
  [[nodiscard]] std::optional<TimePoint> NextDeadline() const;

 private:
  friend class ManualTimer;
  boost::asio::any_io_executor executor_;
  std::atomic<TimePoint> now_;
  std::set<ManualTimer*> waiting_;
};

// Runs `io` until `done()` holds: whenever no handler is ready, time jumps to
// the next timer's deadline. False when nothing is left to wait for or
// `limit` of simulated time has passed first.
template <class Done>
[[nodiscard]] bool RunSimulated(boost::asio::io_context& io, ManualClock& clock, Done done, Duration limit) {
  const TimePoint end = clock.Now() + limit;
  while (true) {
    io.restart();
    io.poll();
    if (done()) return true;
    const std::optional<TimePoint> next = clock.NextDeadline();
    if (!next || *next > end) return false;
    clock.AdvanceTo(*next);
  }
}

}  // namespace leadsync::testing
