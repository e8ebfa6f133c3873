#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace leadsync::testing {

// Runs `task` on `io` in the calling thread until the io_context has no work
// left, and returns its result (rethrowing what it threw).
template <class T>
T RunAwaitable(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  auto result = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  io.run();
  return result.get();
}

}  // namespace leadsync::testing
