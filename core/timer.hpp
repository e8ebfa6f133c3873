#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "core/clock.hpp"

namespace leadsync {

// A timer that one coroutine at a time waits on, until a deadline or until
// Cancel(). Lives on one executor; not thread-safe.
class Timer {
 public:
  virtual ~Timer() = default;
  // Returns at `deadline`, or as soon as Cancel() is called meanwhile
  // (never by throwing); at once for a deadline that has passed.
  [[nodiscard]] virtual boost::asio::awaitable<void> WaitUntil(TimePoint deadline) = 0;
  virtual void Cancel() = 0;
};

// Time for code that waits: Now() and timers on the same clock. The daemon
// runs on SystemClock; tests move a manual clock by hand, so rate limiting,
// backoff and linger run in milliseconds of real time.
class Clock : public TimeSource {
 public:
  [[nodiscard]] virtual std::unique_ptr<Timer> MakeTimer() = 0;
};

// Wall-clock time and asio timers on `executor`.
class SystemClock final : public Clock {
 public:
  explicit SystemClock(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
  [[nodiscard]] TimePoint Now() const override { return SystemTimeSource().Now(); }
  [[nodiscard]] std::unique_ptr<Timer> MakeTimer() override;

 private:
  boost::asio::any_io_executor executor_;
};

}  // namespace leadsync
