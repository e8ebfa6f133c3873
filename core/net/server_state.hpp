#pragma once

// Internal to core/net: what HttpServer shares with its connection coroutines.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <optional>

#include "core/net/drop_log.hpp"
#include "core/net/http_server.hpp"

namespace leadsync::net {

// One open connection as the server sees it, for the cap and for Stop().
struct OpenConnection {
  using Clock = std::chrono::steady_clock;
  enum class Phase {
    kIdle,      // waiting for a request to begin: closing it loses nothing
    kReading,   // in a request's header or body
    kHandling,  // in the handler (a commit): never closed, left to finish on Stop()
    kWriting    // writing the answer: left to finish on Stop(), closed to make room
  };
  // A new connection counts as idle: it has sent nothing yet.
  Phase phase = Phase::kIdle;
  // When it last moved: accepted, a phase begun, bytes read or written.
  // The one that has gone longest without gives way to a new connection.
  Clock::time_point progress = Clock::now();
  // Closes the socket, with a reset when asked; set when its coroutine starts.
  std::function<void(bool reset)> close;
  bool closing = false;  // closed, or to end as soon as its coroutine starts

  void Enter(Phase next) {
    phase = next;
    Touch();
  }
  void Touch() { progress = Clock::now(); }

  void Close(bool reset) {
    closing = true;
    if (close) close(reset);
  }
};

using ConnectionList = std::list<OpenConnection>;

// Everything runs on `executor`, so nothing here needs a lock.
struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  State(boost::asio::any_io_executor executor, ServerLimits limits, std::shared_ptr<HttpHandler> handler,
        std::shared_ptr<boost::asio::ssl::context> tls);

  // Makes room for one more connection; false when every one is in its handler.
  bool MakeRoom();
  // Closes one connection (or has it end as soon as it starts), once; a
  // reset drops whatever the kernel still holds for it.
  void Close(OpenConnection& connection, bool reset);
  void StopOnLoop();
  // A connection coroutine has ended.
  void Forget(ConnectionList::iterator connection);
  // Counts a dropped connection: the observer, and a log line now and then.
  void Dropped(DropReason reason);
  void ReportDrops();

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
  DropLog drop_log;
  boost::asio::steady_timer drop_report;  // set while drops wait for their line
  bool drop_report_set = false;
};

// Serves one accepted connection until it closes, then Forget()s it.
[[nodiscard]] boost::asio::awaitable<void> ServePlain(std::shared_ptr<HttpServer::State> state,
                                                      boost::asio::ip::tcp::socket socket,
                                                      ConnectionList::iterator connection);
[[nodiscard]] boost::asio::awaitable<void> ServeTls(std::shared_ptr<HttpServer::State> state,
                                                    boost::asio::ip::tcp::socket socket,
                                                    ConnectionList::iterator connection);

}  // namespace leadsync::net
