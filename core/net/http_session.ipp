// Internal to core/net: one connection's request loop, for a plain or a TLS
// stream. Included by plain_session.cpp and tls_session.cpp only, so that
// each stream type's coroutines compile in their own translation unit.

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/net/request_framing.hpp"
#include "core/net/server_state.hpp"

namespace leadsync::net {

template <class Stream>
class Session final {
 public:
  Session(std::shared_ptr<HttpServer::State> state, Stream& stream, OpenConnection& connection)
      : state_(std::move(state)),
        stream_(stream),
        connection_(connection),
        buffer_(state_->limits.header_limit + ServerLimits::kReadSlack) {}

  // Requests until the client or a deadline ends the connection, or Stop().
  boost::asio::awaitable<void> Run() {
    // No co_await inside && or ||: GCC 12 evaluates such an operand even
    // when the left side already decided the result.
    bool open = !connection_.closing;
    if (open) open = co_await Handshake();
    while (open && !connection_.closing && !state_->stopping) {
      if (!co_await AwaitRequest()) break;
      if (!co_await ServeOne()) break;
      ++context_.requests;
    }
    boost::system::error_code ignored;
    Socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  }

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using Phase = OpenConnection::Phase;
  static constexpr std::size_t kFirstRead = 1024;
  static constexpr int kRefused = 400;  // this status and above: a refusal
  static constexpr auto kAsTuple = boost::asio::as_tuple(boost::asio::use_awaitable);

  static constexpr bool kTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;

  boost::asio::ip::tcp::socket& Socket() { return boost::beast::get_lowest_layer(stream_).socket(); }
  void Deadline(std::chrono::milliseconds timeout) {
    boost::beast::get_lowest_layer(stream_).expires_after(timeout);
  }

  // A TLS client that has sent nothing yet is as idle as a plain one.
  boost::asio::awaitable<bool> Handshake() {
    if constexpr (kTls) {
      connection_.Enter(Phase::kIdle);
      Deadline(state_->limits.header_timeout);
      const auto [error] = co_await stream_.async_handshake(boost::asio::ssl::stream_base::server, kAsTuple);
      if (error == boost::beast::error::timeout) state_->Dropped(DropReason::kReadTimeout);
      co_return !error;
    } else {
      co_return true;
    }
  }

  // Waits for the first bytes of the next request; meanwhile the connection
  // may be closed to make room for another.
  boost::asio::awaitable<bool> AwaitRequest() {
    if (buffer_.size() > 0) co_return true;  // pipelined: already here
    connection_.Enter(Phase::kIdle);
    Deadline(state_->limits.idle_timeout);
    const auto [error, read] = co_await stream_.async_read_some(buffer_.prepare(kFirstRead), kAsTuple);
    if (error) co_return false;
    buffer_.commit(read);
    co_return true;
  }

  // One request and its answer; false when the connection must end.
  boost::asio::awaitable<bool> ServeOne() {
    Parser parser;
    parser.header_limit(state_->limits.header_limit);
    // Content-Length is judged after Screen(), so that a refusal such as 401 comes first.
    parser.body_limit(boost::none);
    connection_.Enter(Phase::kReading);
    Deadline(state_->limits.header_timeout);
    if (!co_await Read(parser, true)) co_return false;
    const HttpRequestHeader& header = parser.get();
    if (!TransferCodingSupported(header)) {
      co_return co_await Write(MakeResponse(header.version(), 501, "transfer coding not supported\n"), false);
    }
    if (std::optional<HttpResponse> answer = Screen(header)) {
      // An unread body cannot be skipped safely, and a refused client is not kept.
      const bool keep = parser.is_done() && parser.get().keep_alive() && answer->result_int() < kRefused;
      co_return co_await Write(*std::move(answer), keep);
    }
    if (!parser.is_done()) {
      if (!co_await ReadBody(parser)) co_return false;
    }
    HttpRequest request = parser.release();
    std::optional<HttpResponse> response = co_await Answer(request);
    if (!response) {
      Reset();
      co_return false;
    }
    co_return co_await Write(*std::move(response), request.keep_alive());
  }

  boost::asio::awaitable<bool> ReadBody(Parser& parser) {
    const std::uint64_t limit = state_->limits.body_limit;
    if (parser.content_length().value_or(0) > limit) co_return co_await TooLarge(parser.get().version());
    parser.body_limit(limit);  // a chunked body is held to it as it arrives
    if (boost::beast::iequals(parser.get()[boost::beast::http::field::expect], "100-continue")) {
      boost::beast::http::response<boost::beast::http::empty_body> go_on{
          boost::beast::http::status::continue_, parser.get().version()};
      Deadline(state_->limits.write_timeout);
      const auto [error, written] = co_await boost::beast::http::async_write(stream_, go_on, kAsTuple);
      if (error) co_return false;
    }
    Deadline(state_->limits.body_timeout);
    co_return co_await Read(parser, false);
  }

  // Reads the header (or the rest of the request), noting progress as bytes
  // come. A body over body_limit, or a chunk line or trailer that outgrows
  // the buffer (a long chunk extension), gets 413; false when the
  // connection must end.
  boost::asio::awaitable<bool> Read(Parser& parser, bool header) {
    while (header ? !parser.is_header_done() : !parser.is_done()) {
      const auto [error, read] =
          co_await boost::beast::http::async_read_some(stream_, buffer_, parser, kAsTuple);
      if (!error) {
        connection_.Touch();
        continue;
      }
      if (error == boost::beast::error::timeout) state_->Dropped(DropReason::kReadTimeout);
      const bool too_large = error == boost::beast::http::error::body_limit ||
                             error == boost::beast::http::error::buffer_overflow;
      if (!header && too_large) co_await TooLarge(parser.get().version());
      co_return false;
    }
    co_return true;
  }

  boost::asio::awaitable<bool> TooLarge(unsigned version) {
    co_await Write(MakeResponse(version, 413, "request body too large\n"), false);
    co_return false;
  }

  std::optional<HttpResponse> Screen(const HttpRequestHeader& header) {
    try {
      return state_->handler->Screen(header);
    } catch (const std::exception& e) {
      return Failure(header.version(), e.what());
    }
  }

  boost::asio::awaitable<std::optional<HttpResponse>> Answer(HttpRequest& request) {
    connection_.Enter(Phase::kHandling);
    std::string failure;
    try {
      co_return co_await state_->handler->Handle(request, context_);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    co_return Failure(request.version(), failure);
  }

  HttpResponse Failure(unsigned version, std::string_view what) {
    spdlog::error("{}: answering a request failed: {}", state_->limits.name, what);
    return MakeResponse(version, 500, "internal error\n");
  }

  // Writes the answer piece by piece, noting progress. Meanwhile the socket
  // resets when closed: a client that does not take its answers by the
  // deadline (the stream then closes the socket) leaves nothing behind in
  // the kernel's send buffer.
  boost::asio::awaitable<bool> Write(HttpResponse response, bool keep_alive) {
    connection_.Enter(Phase::kWriting);
    response.keep_alive(keep_alive && !state_->stopping);
    response.prepare_payload();
    Deadline(state_->limits.write_timeout);
    ResetOnClose(true);
    boost::beast::http::response_serializer<boost::beast::http::string_body> serializer(response);
    while (!serializer.is_done()) {
      const auto [error, written] =
          co_await boost::beast::http::async_write_some(stream_, serializer, kAsTuple);
      if (error) {
        if (error == boost::beast::error::timeout) state_->Dropped(DropReason::kWriteTimeout);
        co_return false;
      }
      connection_.Touch();
    }
    ResetOnClose(false);
    co_return response.keep_alive();
  }

  void ResetOnClose(bool reset) {
    boost::system::error_code ignored;
    Socket().set_option(boost::asio::socket_base::linger(reset, 0), ignored);
  }

  // SO_LINGER 0: close() sends RST, as a crashed or overloaded server would.
  void Reset() {
    ResetOnClose(true);
    boost::system::error_code ignored;
    Socket().close(ignored);
  }

  std::shared_ptr<HttpServer::State> state_;
  Stream& stream_;
  OpenConnection& connection_;
  ConnectionState context_;
  // Bounded: see ServerLimits. What the parser has not taken yet stays here.
  boost::beast::flat_buffer buffer_;
};

// Keeps the connection in the server's list while it is served, with a way
// to close it; forgets it when the coroutine ends, however it ends.
class Registration final {
 public:
  Registration(HttpServer::State& state, ConnectionList::iterator connection,
               std::function<void(bool reset)> close)
      : state_(state), connection_(connection) {
    connection_->close = std::move(close);
  }
  ~Registration() { state_.Forget(connection_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  HttpServer::State& state_;
  ConnectionList::iterator connection_;
};

template <class Stream>
boost::asio::awaitable<void> ServeStream(std::shared_ptr<HttpServer::State> state, Stream& stream,
                                         ConnectionList::iterator connection) {
  const Registration registration(*state, connection, [&stream](bool reset) {
    auto& socket = boost::beast::get_lowest_layer(stream).socket();
    boost::system::error_code ignored;
    if (reset) socket.set_option(boost::asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  });
  Session<Stream> session(state, stream, *connection);
  co_await session.Run();
}

}  // namespace leadsync::net
