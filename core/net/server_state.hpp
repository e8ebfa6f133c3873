#pragma once

// Internal to core/net: what HttpServer shares with its connection coroutines.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <optional>

#include "core/net/http_server.hpp"

namespace leadsync::net {

// One open connection as the server sees it, for the cap and for Stop().
struct OpenConnection {
  enum class Phase {
    kIdle,      // waiting for a request to begin: closing it loses nothing
    kReading,   // in a request's header or body
    kAnswering  // in the handler or writing the answer: left to finish on Stop()
  };
  // A new connection counts as idle: it has sent nothing yet.
  Phase phase = Phase::kIdle;
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();  // phase start
  std::function<void()> close;  // closes the socket; set when its coroutine starts
  bool closing = false;         // closed, or to end as soon as its coroutine starts

  void Enter(Phase next) {
    phase = next;
    since = std::chrono::steady_clock::now();
  }

  void Close() {
    closing = true;
    if (close) close();
  }
};

using ConnectionList = std::list<OpenConnection>;

// Everything runs on `executor`, so nothing here needs a lock.
struct HttpServer::State {
  State(boost::asio::any_io_executor executor, ServerLimits limits, std::shared_ptr<HttpHandler> handler,
        std::shared_ptr<boost::asio::ssl::context> tls);

  // Makes room for one more connection; false when every one is answering.
  bool MakeRoom();
  // Closes one connection (or has it end as soon as it starts), once.
  void Close(OpenConnection& connection);
  void StopOnLoop();
  // A connection coroutine has ended.
  void Forget(ConnectionList::iterator connection);

  boost::asio::any_io_executor executor;
  ServerLimits limits;
  std::shared_ptr<HttpHandler> handler;
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  boost::asio::ip::tcp::endpoint local;
  ConnectionList connections;
  std::size_t closing = 0;            // of `connections`, those closed and about to go
  boost::asio::steady_timer drained;  // cancelled when the last connection ends after Stop()
  bool stopping = false;
  std::chrono::steady_clock::time_point last_accept_warning{};
};

// Serves one accepted connection until it closes, then Forget()s it.
[[nodiscard]] boost::asio::awaitable<void> ServePlain(std::shared_ptr<HttpServer::State> state,
                                                      boost::asio::ip::tcp::socket socket,
                                                      ConnectionList::iterator connection);
[[nodiscard]] boost::asio::awaitable<void> ServeTls(std::shared_ptr<HttpServer::State> state,
                                                    boost::asio::ip::tcp::socket socket,
                                                    ConnectionList::iterator connection);

}  // namespace leadsync::net
