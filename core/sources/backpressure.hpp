#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>

namespace leadsync {

// Whether the queue has room: the backlog (pending + in flight) against
// `queue.max_pending`. Whoever learns the backlog reports it (the sources
// after a commit, the daemon's housekeeping each second); sources pause
// while Full() and co_await WaitForRoom() to resume. Nothing is dropped.
//
// Lives on one executor (the network loop); not thread-safe.
class Backpressure final {
 public:
  Backpressure(boost::asio::any_io_executor executor, std::int64_t max_pending);

  void Report(std::int64_t backlog);
  void SetLimit(std::int64_t max_pending);
  [[nodiscard]] bool Full() const { return backlog_ >= limit_; }
  [[nodiscard]] std::int64_t limit() const { return limit_; }
  [[nodiscard]] std::int64_t backlog() const { return backlog_; }
  // Returns once the backlog is below the limit (at once when it is), or
  // when Release() is called (a source stopping).
  [[nodiscard]] boost::asio::awaitable<void> WaitForRoom();
  void Release() { room_.cancel(); }

 private:
  std::int64_t limit_;
  std::int64_t backlog_ = 0;
  boost::asio::steady_timer room_;  // cancelled when room appears
};

}  // namespace leadsync
