#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

// Listening sockets for the daemon's servers (metrics, webhook, sandbox).
// Include only from .cpp files: it brings Asio's socket headers along.
namespace leadsync::net {

// A bound, listening socket for `address`, HOST:PORT as ParseListen (core/net/address.hpp)
// reads it (port 0: a free port). An IP address is used as is; a host name
// is looked up with the system resolver, the first result wins. Throws
// std::runtime_error "ADDRESS: why" ("127.0.0.1:9464: address already in
// use"). The lookup blocks: use it before the event loop runs.
[[nodiscard]] boost::asio::ip::tcp::acceptor OpenListener(const boost::asio::any_io_executor& executor,
                                                          std::string_view address);

// The same from a coroutine on the loop: a host name is looked up on Asio's
// resolver thread, so the loop never waits for DNS.
[[nodiscard]] boost::asio::awaitable<boost::asio::ip::tcp::acceptor> OpenListenerAsync(
    boost::asio::any_io_executor executor, std::string address);

// "127.0.0.1:8088", "[::1]:8088".
[[nodiscard]] std::string ToString(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace leadsync::net
