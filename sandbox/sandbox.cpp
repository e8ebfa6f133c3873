#include "sandbox/sandbox.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <set>
#include <stdexcept>

#include "sandbox/sandbox_api.hpp"

namespace leadsync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// "HOST:PORT", "[v6]:PORT" or ":PORT" (loopback).
tcp::endpoint ParseListen(asio::io_context& io, const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("listen address must be HOST:PORT, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  tcp::resolver resolver(io);
  boost::system::error_code error;
  const auto results =
      resolver.resolve(host, listen.substr(colon + 1), tcp::resolver::numeric_service, error);
  if (error || results.empty()) {
    throw std::runtime_error("cannot use listen address '" + listen + "': " + error.message());
  }
  return results.begin()->endpoint();
}

tcp::acceptor Listen(asio::io_context& io, const std::string& listen) {
  const tcp::endpoint endpoint = ParseListen(io, listen);
  tcp::acceptor acceptor(io);
  boost::system::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) throw std::runtime_error("cannot listen on '" + listen + "': " + error.message());
  return acceptor;
}

std::string HostPort(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(endpoint.port());
}

SandboxRequest ToSandboxRequest(const Request& request) {
  SandboxRequest copy;
  copy.method = std::string(request.method_string());
  copy.target = std::string(request.target());
  copy.access_key_header = std::string(request["x-LSQ-AccessKey"]);
  copy.secret_key_header = std::string(request["x-LSQ-SecretKey"]);
  copy.host = std::string(request[http::field::host]);
  copy.body = request.body();
  return copy;
}

Response ToResponse(SandboxReply reply, unsigned version, bool keep_alive) {
  Response response{static_cast<http::status>(reply.status), version};
  response.set(http::field::server, "leadsync-sandbox");
  response.set(http::field::content_type, reply.content_type);
  if (reply.retry_after) response.set(http::field::retry_after, std::to_string(reply.retry_after->count()));
  response.keep_alive(keep_alive);
  response.body() = std::move(reply.body);
  response.prepare_payload();
  return response;
}

// SO_LINGER 0: close() sends RST, as a crashed or overloaded server would.
void Reset(beast::tcp_stream& stream) {
  boost::system::error_code ignored;
  stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
  stream.socket().close(ignored);
}

// Keeps a connection in the set Stop() closes, for as long as it is served.
class Registration final {
 public:
  Registration(std::set<beast::tcp_stream*>& streams, beast::tcp_stream* stream)
      : streams_(streams), stream_(stream) {
    streams_.insert(stream_);
  }
  ~Registration() { streams_.erase(stream_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  std::set<beast::tcp_stream*>& streams_;
  beast::tcp_stream* stream_;
};

auto LogFailure(const char* task) {
  return [task](const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::error("sandbox: {} failed: {}", task, e.what());
    }
  };
}

}  // namespace

class Sandbox::Impl final : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, const std::string& listen, SandboxOptions options)
      : acceptor_(Listen(io, listen)),
        bound_(acceptor_.local_endpoint()),
        options_(options),
        api_(std::move(options), bound_.address().is_unspecified() ? "" : "http://" + HostPort(bound_)) {}

  void Start() { asio::co_spawn(acceptor_.get_executor(), Accept(shared_from_this()), LogFailure("accept")); }
  void Stop();
  [[nodiscard]] const tcp::endpoint& bound() const { return bound_; }

 private:
  static asio::awaitable<void> Accept(std::shared_ptr<Impl> self);
  static asio::awaitable<void> Serve(std::shared_ptr<Impl> self, tcp::socket socket);
  asio::awaitable<bool> Answer(beast::tcp_stream& stream, const Request& request, bool& counted);

  tcp::acceptor acceptor_;
  tcp::endpoint bound_;
  SandboxOptions options_;
  SandboxApi api_;
  std::set<beast::tcp_stream*> open_;  // live connections, for Stop()
};

void Sandbox::Impl::Stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (beast::tcp_stream* stream : open_) stream->close();
}

asio::awaitable<void> Sandbox::Impl::Accept(std::shared_ptr<Impl> self) {
  while (self->acceptor_.is_open()) {
    auto [error, socket] = co_await self->acceptor_.async_accept(kUseTuple);
    if (error == asio::error::operation_aborted) break;
    if (error) {
      // Out of descriptors, most likely: give connections time to close.
      spdlog::warn("sandbox: accept failed: {}", error.message());
      asio::steady_timer pause(self->acceptor_.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    asio::co_spawn(self->acceptor_.get_executor(), Serve(self, std::move(socket)), LogFailure("connection"));
  }
}

asio::awaitable<void> Sandbox::Impl::Serve(std::shared_ptr<Impl> self, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  const Registration registration(self->open_, &stream);
  beast::flat_buffer buffer;
  bool counted = false;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(self->options_.body_limit);
    stream.expires_after(self->options_.read_timeout);
    auto [error, read] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    if (error == http::error::body_limit) {
      Response too_large = ToResponse({413, "Request body too large\n", "text/plain"}, 11, false);
      co_await http::async_write(stream, too_large, kUseTuple);
    }
    if (error) break;
    const bool keep_alive = co_await self->Answer(stream, parser.get(), counted);
    if (!keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Answers one request; false when the connection must end.
asio::awaitable<bool> Sandbox::Impl::Answer(beast::tcp_stream& stream, const Request& request,
                                            bool& counted) {
  const SandboxRequest copy = ToSandboxRequest(request);
  if (!counted && SandboxApi::IsApiPath(copy.target)) {
    api_.CountConnection();
    counted = true;
  }
  SandboxReply reply = api_.Handle(copy, std::chrono::steady_clock::now());
  if (reply.delay.count() > 0) {
    asio::steady_timer latency(stream.get_executor(), reply.delay);
    co_await latency.async_wait(kUseTuple);
  }
  if (reply.drop) {
    Reset(stream);
    co_return false;
  }
  Response response = ToResponse(std::move(reply), request.version(), request.keep_alive());
  stream.expires_after(options_.read_timeout);
  auto [error, written] = co_await http::async_write(stream, response, kUseTuple);
  co_return !error && response.keep_alive();
}

Sandbox::Sandbox(asio::io_context& io, const std::string& listen, SandboxOptions options)
    : impl_(std::make_shared<Impl>(io, listen, std::move(options))) {
  impl_->Start();
}

Sandbox::~Sandbox() { impl_->Stop(); }

std::uint16_t Sandbox::port() const { return impl_->bound().port(); }

std::string Sandbox::address() const { return HostPort(impl_->bound()); }

void Sandbox::Stop() { impl_->Stop(); }

}  // namespace leadsync
