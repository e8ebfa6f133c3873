#include "core/sources/backpressure.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace leadsync {

Backpressure::Backpressure(boost::asio::any_io_executor executor, std::int64_t max_pending)
    : limit_(max_pending), room_(std::move(executor), boost::asio::steady_timer::time_point::max()) {}

void Backpressure::SetBacklog(std::int64_t backlog) {
  const bool was_full = Full();
  backlog_ = backlog;
  if (was_full && !Full()) room_.cancel();
}

void Backpressure::SetLimit(std::int64_t max_pending) {
  const bool was_full = Full();
  limit_ = max_pending;
  if (was_full && !Full()) room_.cancel();
}

boost::asio::awaitable<void> Backpressure::WaitForRoom() {
  if (!Full()) co_return;
  co_await room_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace leadsync
