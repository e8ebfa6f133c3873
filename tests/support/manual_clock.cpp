#include "tests/support/manual_clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace leadsync::testing {

class ManualTimer final : public Timer {
 public:
  explicit ManualTimer(ManualClock& clock)
      : clock_(clock), event_(clock.executor_, boost::asio::steady_timer::time_point::max()) {}
  ~ManualTimer() override { clock_.waiting_.erase(this); }

  boost::asio::awaitable<void> WaitUntil(TimePoint deadline) override {
    if (deadline <= clock_.Now()) co_return;
    deadline_ = deadline;
    clock_.waiting_.insert(this);
    co_await event_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    clock_.waiting_.erase(this);
  }
  void Cancel() override { event_.cancel(); }

  [[nodiscard]] TimePoint deadline() const { return deadline_; }

 private:
  ManualClock& clock_;
  boost::asio::steady_timer event_;
  TimePoint deadline_{};
};

std::unique_ptr<Timer> ManualClock::MakeTimer() { return std::make_unique<ManualTimer>(*this); }

void ManualClock::AdvanceTo(TimePoint t) {
  now_.store(std::max(Now(), t));
  for (ManualTimer* timer : waiting_) {
    if (timer->deadline() <= Now()) timer->Cancel();
  }
}

std::optional<TimePoint> ManualClock::NextDeadline() const {
  std::optional<TimePoint> next;
  for (const ManualTimer* timer : waiting_) {
    if (!next || timer->deadline() < *next) next = timer->deadline();
  }
  return next;
}

}  // namespace leadsync::testing
