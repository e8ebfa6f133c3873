#include "core/timer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace leadsync {
namespace {

class SystemTimer final : public Timer {
 public:
  explicit SystemTimer(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {}

  boost::asio::awaitable<void> WaitUntil(TimePoint deadline) override {
    timer_.expires_at(deadline);
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  void Cancel() override { timer_.cancel(); }

 private:
  boost::asio::system_timer timer_;
};

}  // namespace

std::unique_ptr<Timer> SystemClock::MakeTimer() { return std::make_unique<SystemTimer>(executor_); }

}  // namespace leadsync
