#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "core/http/endpoint.hpp"

// Internal to core/http (Beast inside): included only by the client's .cpp
// files and their tests.
namespace leadsync {

using HttpRequestMessage = boost::beast::http::request<boost::beast::http::string_body>;
using SteadyTime = std::chrono::steady_clock::time_point;

// The step an exchange failed in; kNone when a whole response was read.
enum class ExchangeStep { kNone, kResolve, kConnect, kHandshake, kWrite, kRead };

struct ResolveState;

// One request/response over an HttpConnection, success or failure.
struct Exchange {
  boost::system::error_code error;
  ExchangeStep step = ExchangeStep::kNone;
  bool reused = false;    // the connection had already carried a request
  bool answered = false;  // at least one response byte arrived
  int status = 0;
  std::string body;
  std::string retry_after;

  [[nodiscard]] bool Failed() const { return step != ExchangeStep::kNone; }
  [[nodiscard]] bool TimedOut() const;
  // A kept-alive connection that failed while the request was being
  // written: the server never had all of it, so one retry on a fresh
  // connection is safe. A failure while reading the answer is not stale: the
  // server may have read the request, counted it against the account's
  // limit and acted on it (LeadSquared's front end resets connections after
  // reading them), so sending it again is a new call for the caller to
  // schedule. Idle connections the server closed are not reused at all
  // (RoundTrip checks before writing).
  [[nodiscard]] bool Stale() const;
};

[[nodiscard]] const char* StepName(ExchangeStep step);

// What a connection holds of an answer not parsed yet: the status line and
// headers (the parser's own cap is 8 KiB), a chunk's size line with its
// extensions, the trailers. Beast caps none of the last three, so past this
// the read fails instead (kRead, "buffer overflow"): a server can make the
// client hold no more than this and the body limit.
inline constexpr std::size_t kReadBufferLimit = 64 * 1024;

// One HTTP/1.1 connection, plain or TLS, opened on demand by RoundTrip and
// closed after any failure or when the server asks for it. Every step
// (resolve, connect, handshake, write, read) ends by `deadline`; an answer
// is read into at most kReadBufferLimit, its body up to `body_limit`. One request
// at a time; lives on one executor; not thread-safe.
class HttpConnection final {
 public:
  HttpConnection(boost::asio::any_io_executor executor, Endpoint endpoint, bool tls_verify,
                 std::size_t body_limit);

  [[nodiscard]] boost::asio::awaitable<Exchange> RoundTrip(const HttpRequestMessage& request,
                                                           SteadyTime deadline);

  // Closes the socket; an exchange in flight, in whatever step, completes at
  // once with operation_aborted and is not retried.
  void Close();
  [[nodiscard]] bool IsOpen() const { return open_; }

 private:
  using PlainStream = boost::beast::tcp_stream;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  [[nodiscard]] boost::asio::awaitable<boost::system::error_code> Resolve(
      SteadyTime deadline, boost::asio::ip::tcp::resolver::results_type& results);
  [[nodiscard]] boost::asio::awaitable<Exchange> Open(SteadyTime deadline);
  [[nodiscard]] boost::asio::awaitable<Exchange> Handshake(TlsStream& stream, SteadyTime deadline);
  template <class Stream>
  [[nodiscard]] boost::asio::awaitable<Exchange> Transfer(Stream& stream, const HttpRequestMessage& request,
                                                          SteadyTime deadline);
  [[nodiscard]] boost::beast::tcp_stream& Lowest();
  [[nodiscard]] bool ClosedByPeer();

  boost::asio::any_io_executor executor_;
  Endpoint endpoint_;
  bool tls_verify_;
  std::size_t body_limit_;
  std::optional<boost::asio::ssl::context> ssl_;
  std::variant<std::monostate, PlainStream, TlsStream> stream_;
  std::shared_ptr<ResolveState> resolving_;  // the lookup being waited for, if any
  boost::beast::flat_buffer buffer_{kReadBufferLimit};
  bool open_ = false;
  int requests_ = 0;  // answered on the current connection
};

}  // namespace leadsync
