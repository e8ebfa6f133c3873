#include "core/metrics/metrics_server.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/metrics/metrics.hpp"

namespace leadsync {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::chrono::seconds kReadTimeout{30};
constexpr std::chrono::seconds kWriteTimeout{30};
constexpr std::chrono::milliseconds kAcceptErrorPause{100};
constexpr std::uint64_t kMaxRequestBody = std::uint64_t{64} * 1024;
constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4";
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

[[noreturn]] void FailListen(const std::string& listen, std::string what) {
  if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  throw std::runtime_error("metrics.listen " + listen + ": " + what);
}

// "HOST:PORT" or "[V6]:PORT"; a host name is resolved once, here.
tcp::endpoint ResolveListen(const asio::any_io_executor& executor, const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) FailListen(listen, "expected HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  std::uint16_t port_number = 0;
  const auto [end, port_ec] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (host.empty() || port.empty() || port_ec != std::errc{} || end != port.data() + port.size()) {
    FailListen(listen, "expected HOST:PORT with a port from 0 to 65535");
  }
  tcp::resolver resolver(executor);
  boost::system::error_code ec;
  const auto results =
      resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) FailListen(listen, "cannot resolve host: " + ec.message());
  return results.begin()->endpoint();
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

Response Reply(const Request& request, http::status status, std::string body,
               std::string_view content_type = "text/plain; charset=utf-8") {
  Response response{status, request.version()};
  response.set(http::field::server, "leadsync");
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

// Registers an open connection for Stop() for as long as it lives.
class OpenConnection final {
 public:
  OpenConnection(std::set<beast::tcp_stream*>& open, beast::tcp_stream& stream)
      : open_(open), stream_(&stream) {
    open_.insert(stream_);
  }
  ~OpenConnection() { open_.erase(stream_); }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;

 private:
  std::set<beast::tcp_stream*>& open_;
  beast::tcp_stream* stream_;
};

}  // namespace

// Everything past Start() runs on `executor_`, so `stopped_` and
// `connections_` need no lock. Coroutines hold a shared_ptr to the Impl.
class MetricsServer::Impl final : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, std::string listen, const Metrics& metrics, ReadinessProbe reason)
      : executor_(std::move(executor)),
        listen_(std::move(listen)),
        metrics_(metrics),
        not_ready_reason_(std::move(reason)),
        acceptor_(executor_) {}

  void Start() {
    const tcp::endpoint endpoint = ResolveListen(executor_, listen_);
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      FailListen(listen_, ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(executor_, Accept(shared_from_this()), asio::detached);
  }

  void Stop() {
    asio::dispatch(executor_, [self = shared_from_this()] { self->CloseAll(); });
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  void CloseAll() {
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    // Closing completes pending reads with an error; the coroutines then
    // unregister themselves, after this loop.
    for (beast::tcp_stream* stream : connections_) stream->close();
  }

  static asio::awaitable<void> Accept(std::shared_ptr<Impl> self) {
    while (!self->stopped_) {
      auto [ec, socket] = co_await self->acceptor_.async_accept(kAsTuple);
      if (self->stopped_ || ec == asio::error::operation_aborted) co_return;
      if (ec) {  // e.g. out of file descriptors: pause rather than spin
        asio::steady_timer pause(self->executor_, kAcceptErrorPause);
        co_await pause.async_wait(kAsTuple);
        continue;
      }
      asio::co_spawn(self->executor_, Serve(self, std::move(socket)), asio::detached);
    }
  }

  static asio::awaitable<void> Serve(std::shared_ptr<Impl> self, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    const OpenConnection registration(self->connections_, stream);
    beast::flat_buffer buffer;
    while (!self->stopped_) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxRequestBody);
      stream.expires_after(kReadTimeout);
      const auto [read_ec, read_bytes] = co_await http::async_read(stream, buffer, parser, kAsTuple);
      if (read_ec || self->stopped_) break;
      Response response = self->Answer(parser.get());
      stream.expires_after(kWriteTimeout);
      const auto [write_ec, written_bytes] = co_await http::async_write(stream, response, kAsTuple);
      if (write_ec || !response.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  [[nodiscard]] Response Answer(const Request& request) const {
    const std::string_view path = PathOf(request.target());
    if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
      return Reply(request, http::status::not_found, "not found");
    }
    if (request.method() != http::verb::get) {
      Response response = Reply(request, http::status::method_not_allowed, "method not allowed");
      response.set(http::field::allow, "GET");
      return response;
    }
    if (path == "/metrics") {
      return Reply(request, http::status::ok, metrics_.Serialize(), kMetricsContentType);
    }
    if (path == "/healthz") return Probe(request, unhealthy_reason_, "ok");
    return Probe(request, not_ready_reason_, "ready");
  }

  [[nodiscard]] Response Probe(const Request& request, const ReadinessProbe& probe, const char* fine) const {
    std::optional<std::string> reason;
    try {
      if (probe) reason = probe();
    } catch (const std::exception& e) {  // a failing check means not ready, not a dropped connection
      reason = std::string("check failed: ") + e.what();
    }
    if (!reason) return Reply(request, http::status::ok, fine);
    return Reply(request, http::status::service_unavailable, *reason);
  }

 public:
  void SetHealthProbe(ReadinessProbe probe) { unhealthy_reason_ = std::move(probe); }

 private:
  asio::any_io_executor executor_;
  std::string listen_;
  const Metrics& metrics_;
  ReadinessProbe not_ready_reason_;
  ReadinessProbe unhealthy_reason_;
  tcp::acceptor acceptor_;
  std::atomic<std::uint16_t> port_{0};
  bool stopped_ = false;
  std::set<beast::tcp_stream*> connections_;
};

MetricsServer::MetricsServer(boost::asio::any_io_executor executor, std::string listen,
                             const Metrics& metrics, ReadinessProbe not_ready_reason)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(listen), metrics,
                                   std::move(not_ready_reason))) {}

MetricsServer::MetricsServer(boost::asio::io_context& io, std::string listen, const Metrics& metrics,
                             ReadinessProbe not_ready_reason)
    : MetricsServer(io.get_executor(), std::move(listen), metrics, std::move(not_ready_reason)) {}

MetricsServer::~MetricsServer() { impl_->Stop(); }

void MetricsServer::Start() { impl_->Start(); }

void MetricsServer::SetHealthProbe(ReadinessProbe unhealthy_reason) {
  impl_->SetHealthProbe(std::move(unhealthy_reason));
}

void MetricsServer::Stop() { impl_->Stop(); }

std::uint16_t MetricsServer::port() const { return impl_->port(); }

}  // namespace leadsync
