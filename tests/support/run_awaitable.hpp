#pragma once

// GCC 12 at -O2 reports a false -Wnull-dereference inside Asio's scheduler.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#pragma GCC diagnostic pop

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
