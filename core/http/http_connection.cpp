#include "core/http/http_connection.hpp"

#include <openssl/err.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>

namespace leadsync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

// A lookup and the timer its requester waits on; shared with the lookup
// itself, which may outlive the wait.
struct ResolveState {
  explicit ResolveState(const asio::any_io_executor& executor) : resolver(executor), done(executor) {}
  tcp::resolver resolver;
  asio::steady_timer done;
  error_code error;
  tcp::resolver::results_type results;
  bool finished = false;
  bool abandoned = false;  // Close() was called meanwhile
};

namespace {

asio::awaitable<void> RunResolve(std::shared_ptr<ResolveState> state, std::string host, std::string port) {
  auto [error, results] = co_await state->resolver.async_resolve(host, port, kUseTuple);
  state->error = error;
  state->results = std::move(results);
  state->finished = true;
  state->done.cancel();
}

Exchange Failure(ExchangeStep step, error_code error, bool reused = false) {
  Exchange exchange;
  exchange.step = step;
  exchange.error = error;
  exchange.reused = reused;
  return exchange;
}

bool IsIpLiteral(const std::string& host) {
  error_code error;
  asio::ip::make_address(host, error);
  return !error;
}

// SSL_set_tlsext_host_name, without the C cast inside the macro.
bool SetServerName(SSL* ssl, const std::string& host) {
  return ::SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                    const_cast<char*>(host.c_str())) == 1;
}

}  // namespace

bool Exchange::TimedOut() const { return error == beast::error::timeout; }

bool Exchange::Stale() const {
  const bool aborted = error == asio::error::operation_aborted;  // Close() was called
  return reused && !answered && !TimedOut() && !aborted && step == ExchangeStep::kWrite;
}

const char* StepName(ExchangeStep step) {
  switch (step) {
    case ExchangeStep::kNone:
      return "done";
    case ExchangeStep::kResolve:
      return "resolve";
    case ExchangeStep::kConnect:
      return "connect";
    case ExchangeStep::kHandshake:
      return "TLS handshake";
    case ExchangeStep::kWrite:
      return "write";
    case ExchangeStep::kRead:
      return "read";
  }
  return "?";
}

HttpConnection::HttpConnection(asio::any_io_executor executor, Endpoint endpoint, bool tls_verify,
                               std::size_t body_limit)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      tls_verify_(tls_verify),
      body_limit_(body_limit) {
  if (!endpoint_.tls) return;
  ssl_.emplace(ssl::context::tls_client);
  if (tls_verify_) {
    ssl_->set_default_verify_paths();
    ssl_->set_verify_mode(ssl::verify_peer);
  } else {
    ssl_->set_verify_mode(ssl::verify_none);
  }
}

beast::tcp_stream& HttpConnection::Lowest() {
  if (auto* tls = std::get_if<TlsStream>(&stream_)) return beast::get_lowest_layer(*tls);
  return std::get<PlainStream>(stream_);
}

void HttpConnection::Close() {
  open_ = false;
  requests_ = 0;
  buffer_.clear();
  if (resolving_) {
    resolving_->abandoned = true;
    resolving_->done.cancel();
  }
  if (!std::holds_alternative<std::monostate>(stream_)) Lowest().close();
}

// getaddrinfo cannot be interrupted, so the lookup runs on its own and we
// stop waiting for it at the deadline (or when closed).
asio::awaitable<error_code> HttpConnection::Resolve(SteadyTime deadline,
                                                    tcp::resolver::results_type& results) {
  auto state = std::make_shared<ResolveState>(executor_);
  resolving_ = state;
  state->done.expires_at(deadline);
  asio::co_spawn(executor_, RunResolve(state, endpoint_.host, std::to_string(endpoint_.port)),
                 asio::detached);
  co_await state->done.async_wait(kUseTuple);
  resolving_.reset();
  if (!state->finished) state->resolver.cancel();
  if (state->abandoned) co_return asio::error::operation_aborted;
  if (!state->finished) co_return beast::error::timeout;
  results = state->results;
  co_return state->error;
}

// An idle keep-alive connection has nothing to read: anything readable (the
// end of the stream, a reset, a TLS close_notify, stray bytes) means the
// server is done with it.
bool HttpConnection::ClosedByPeer() {
  if (buffer_.size() > 0) return true;
  pollfd socket{Lowest().socket().native_handle(), POLLIN, 0};
  return ::poll(&socket, 1, 0) != 0;
}

asio::awaitable<Exchange> HttpConnection::RoundTrip(const HttpRequestMessage& request, SteadyTime deadline) {
  if (open_ && requests_ > 0 && ClosedByPeer()) Close();
  if (!open_) {
    Exchange opened = co_await Open(deadline);
    if (opened.Failed()) co_return opened;
  }
  // No co_await inside ?: or &&: GCC 12 miscompiles the temporaries.
  Exchange exchange;
  if (auto* tls = std::get_if<TlsStream>(&stream_)) {
    exchange = co_await Transfer(*tls, request, deadline);
  } else {
    exchange = co_await Transfer(std::get<PlainStream>(stream_), request, deadline);
  }
  if (exchange.Failed()) Close();
  co_return exchange;
}

asio::awaitable<Exchange> HttpConnection::Open(SteadyTime deadline) {
  tcp::resolver::results_type results;
  if (error_code error = co_await Resolve(deadline, results)) {
    co_return Failure(ExchangeStep::kResolve, error);
  }
  if (endpoint_.tls) {
    stream_.emplace<TlsStream>(executor_, *ssl_);
  } else {
    stream_.emplace<PlainStream>(executor_);
  }
  buffer_.clear();
  Lowest().expires_at(deadline);
  auto [error, connected] = co_await Lowest().async_connect(results, kUseTuple);
  if (error) co_return Failure(ExchangeStep::kConnect, error);
  open_ = true;
  if (auto* tls = std::get_if<TlsStream>(&stream_)) co_return co_await Handshake(*tls, deadline);
  co_return Exchange{};
}

asio::awaitable<Exchange> HttpConnection::Handshake(TlsStream& stream, SteadyTime deadline) {
  // SNI carries names only, never an IP literal (RFC 6066).
  if (!IsIpLiteral(endpoint_.host) && !SetServerName(stream.native_handle(), endpoint_.host)) {
    Close();
    co_return Failure(ExchangeStep::kHandshake,
                      error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
  }
  if (tls_verify_) stream.set_verify_callback(ssl::host_name_verification(endpoint_.host));
  Lowest().expires_at(deadline);
  auto [error] = co_await stream.async_handshake(ssl::stream_base::client, kUseTuple);
  if (error) {
    Close();
    co_return Failure(ExchangeStep::kHandshake, error);
  }
  co_return Exchange{};
}

template <class Stream>
asio::awaitable<Exchange> HttpConnection::Transfer(Stream& stream, const HttpRequestMessage& request,
                                                   SteadyTime deadline) {
  const bool reused = requests_ > 0;
  Lowest().expires_at(deadline);
  auto [write_error, written] = co_await http::async_write(stream, request, kUseTuple);
  if (write_error) co_return Failure(ExchangeStep::kWrite, write_error, reused);
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit_);
  Lowest().expires_at(deadline);
  auto [read_error, read] = co_await http::async_read(stream, buffer_, parser, kUseTuple);
  if (read_error) {
    Exchange failed = Failure(ExchangeStep::kRead, read_error, reused);
    failed.answered = parser.got_some() || buffer_.size() > 0;
    co_return failed;
  }
  Lowest().expires_never();
  ++requests_;
  Exchange exchange;
  exchange.reused = reused;
  exchange.answered = true;
  exchange.status = static_cast<int>(parser.get().result_int());
  exchange.retry_after = std::string(parser.get()[http::field::retry_after]);
  exchange.body = std::move(parser.get().body());
  if (!parser.get().keep_alive()) Close();
  co_return exchange;
}

}  // namespace leadsync
