#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/net/drop_log.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

// The small HTTP/1.1 server under the metrics endpoint, the webhook source and
// the sandbox. Include only from .cpp files: it brings Beast's message types.
namespace leadsync::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpRequestHeader = boost::beast::http::request_header<>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// What one server allows each client. Every I/O step has a deadline:
//   idle_timeout    waiting for a request to begin (after accept, between
//                   keep-alive requests)
//   header_timeout  from a request's first byte to the end of its header
//                   (a client that trickles a header, slowloris-style), and
//                   for a TLS client's handshake
//   body_timeout    reading the body
//   write_timeout   writing the answer (a client that does not read it)
// A read or write that misses its deadline ends the connection; a missed
// write resets it, so the kernel does not keep the unsent answer either.
//
// Memory: a connection holds at most header_limit + kReadSlack bytes of
// unparsed input (the header; one chunk's size line with its extensions;
// the trailer) and body_limit bytes of body. More ends the connection: 413
// for a body or chunk line, nothing for a header. Its socket's send buffer
// is kSendBuffer (the kernel doubles it): a client that pipelines requests
// and never reads stalls the connection after a few answers, so it costs
// little work and kernel memory before it gives way or times out.
//
// Transfer-Encoding must be exactly `chunked`; anything else (`gzip,
// chunked`, `chunked, identity`, `identity`) is answered 501 and the
// connection closes: where such a body ends cannot be known.
//
// When max_connections are open, a new connection takes the place of the
// one that has gone longest without progress (no byte read or written, no
// new phase): one that waits for its next request, trickles its header or
// body, or does not take its answer. Only connections in the handler (a
// commit) are never closed for room; if every one is, the new connection is
// closed. So neither idle nor non-reading clients can hold every slot: a
// fresh client, such as a /healthz probe, is answered unless
// max_connections newer connections arrive before its request.
struct ServerLimits {
  static constexpr std::size_t kReadSlack = 4 * 1024;
  static constexpr int kSendBuffer = 64 * 1024;

  std::string name = "http";  // for log lines: "metrics", "source forms"
  std::size_t max_connections = 256;
  std::chrono::milliseconds idle_timeout{5'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::uint32_t header_limit = 16 * 1024;               // bytes of request line and headers
  std::uint64_t body_limit = std::uint64_t{64} * 1024;  // larger bodies get 413 and the connection closes
  // Told of each connection dropped (DropReason), on the executor; may be
  // empty. The server also logs drops itself, one line a minute at most.
  std::function<void(DropReason)> on_dropped;
};

// What a handler keeps per connection, beyond the server's own bookkeeping.
struct ConnectionState {
  std::uint64_t requests = 0;  // answered on this connection before the current one
  bool flag = false;           // the handler's own, e.g. "counted already"
};

// Answers requests. Runs on the server's executor; Handle() may suspend (a
// queue commit, an emulated latency) without holding up other connections.
// A handler that throws gets 500 for that request and a log line.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Called once the header is read, before any of the body: a response here
  // answers without reading the body. A refusal (4xx, 5xx: 401, 413 by
  // Content-Length, 503) always closes the connection; another answer (a
  // probe's 200) keeps it only when the request had no body. nullopt reads
  // the body and calls Handle().
  [[nodiscard]] virtual std::optional<HttpResponse> Screen(const HttpRequestHeader& header);
  // The answer, or nullopt to drop the connection with a reset instead. The
  // server sets keep-alive and Content-Length.
  [[nodiscard]] virtual boost::asio::awaitable<std::optional<HttpResponse>> Handle(
      HttpRequest& request, ConnectionState& connection) = 0;
};

// An HTTP/1.1 server on one executor, plain or, given a TLS context, HTTPS.
// Listen, then Serve() (or Start()); Stop() closes the listener and every
// connection not being answered, lets those being answered finish their
// answer (with Connection: close), and Serve() returns once all have closed.
//
// Ownership: the handler and the TLS context are shared with the coroutines,
// so they live as long as any connection. Thread-safety: Listen, Serve and
// Start on the executor (or before it runs); Stop() from any thread.
class HttpServer final {
 public:
  HttpServer(boost::asio::any_io_executor executor, ServerLimits limits, std::shared_ptr<HttpHandler> handler,
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  // Stops the server if still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves on `acceptor` (see core/net/listener.hpp), or binds `address`
  // first with OpenListener (throws as it does).
  void Listen(boost::asio::ip::tcp::acceptor acceptor);
  void Listen(std::string_view address);

  // Accepts until Stop(); returns once every connection has closed.
  [[nodiscard]] boost::asio::awaitable<void> Serve();
  // Serve() in the background, for owners that do not await it.
  void Start();
  void Stop();

  // The bound address, valid after Listen (the chosen port when asked for 0).
  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] const boost::asio::ip::tcp::endpoint& local_endpoint() const;

  struct State;  // shared with the coroutines; defined in server_state.hpp

 private:
  std::shared_ptr<State> state_;
};

// A plain-text answer with the server's name and a Content-Type.
[[nodiscard]] HttpResponse MakeResponse(unsigned version, int status, std::string body,
                                        std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace leadsync::net
