#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>

namespace leadsync {

// Whether the queue has room: the backlog (pending + in flight) against
// `queue.max_pending`. Whoever learns the backlog sets it (the sources
// after a commit, the daemon's housekeeping each second); sources pause
// while Full() and co_await WaitForRoom() to resume. Nothing is dropped.
// WaitForRoom waits on a condition, not on time: a source that also wants
// to look again after a while races it against a timer of its Clock.
//
// Lives on one executor (the network loop); not thread-safe.
class Backpressure final {
 public:
  Backpressure(boost::asio::any_io_executor executor, std::int64_t max_pending);

  // The backlog as last counted; wakes the waiters when it leaves Full().
  void SetBacklog(std::int64_t backlog);
  void SetLimit(std::int64_t max_pending);
  [[nodiscard]] bool Full() const { return backlog_ >= limit_; }
  [[nodiscard]] std::int64_t limit() const { return limit_; }
  [[nodiscard]] std::int64_t backlog() const { return backlog_; }
  // Returns once the backlog is below the limit (at once when it is), or
  // when WakeAll() is called (sources stopping).
  [[nodiscard]] boost::asio::awaitable<void> WaitForRoom();
  // Makes every WaitForRoom() in progress return, full or not.
  void WakeAll() { room_.cancel(); }

 private:
  std::int64_t limit_;
  std::int64_t backlog_ = 0;
  boost::asio::steady_timer room_;  // cancelled when room appears
};

}  // namespace leadsync
