#pragma once

#include <atomic>
#include <chrono>

namespace leadsync {

// Wall-clock time: it survives restarts, so the queue and the rate limiter
// can persist it. Millisecond resolution is all the API and SQLite need.
using WallClock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<WallClock, std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

// Source of "now" for time-dependent logic, so tests can advance time by hand.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  [[nodiscard]] virtual TimePoint Now() const = 0;
};

class SystemTimeSource final : public TimeSource {
 public:
  [[nodiscard]] TimePoint Now() const override {
    return std::chrono::time_point_cast<Duration>(WallClock::now());
  }
};

// A clock that moves only when told to. Safe to read on one thread (a
// source's queue work) while a test moves it on another.
class ManualTimeSource final : public TimeSource {
 public:
  explicit ManualTimeSource(TimePoint start = TimePoint{Duration{1'700'000'000'000}}) : now_(start) {}
  [[nodiscard]] TimePoint Now() const override { return now_.load(); }
  void Advance(Duration d) { now_.store(now_.load() + d); }
  void Set(TimePoint t) { now_.store(t); }

 private:
  std::atomic<TimePoint> now_;
};

[[nodiscard]] inline std::int64_t ToUnixMillis(TimePoint t) { return t.time_since_epoch().count(); }
[[nodiscard]] inline TimePoint FromUnixMillis(std::int64_t ms) { return TimePoint{Duration{ms}}; }

}  // namespace leadsync
