#include "sandbox/sandbox.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <functional>
#include <stdexcept>

#include "core/net/http_server.hpp"
#include "core/net/listener.hpp"
#include "sandbox/sandbox_api.hpp"

namespace leadsync {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

net::ServerLimits Limits(const SandboxOptions& options) {
  net::ServerLimits limits;
  limits.name = "sandbox";
  limits.max_connections = options.max_connections;
  // One deadline for everything: the dispatcher's pooled connections may
  // idle between batches as long as a real server would let them.
  limits.idle_timeout = options.read_timeout;
  limits.header_timeout = options.read_timeout;
  limits.body_timeout = options.read_timeout;
  limits.write_timeout = options.read_timeout;
  limits.body_limit = options.body_limit;
  return limits;
}

tcp::acceptor Open(asio::io_context& io, const std::string& listen) {
  try {
    return net::OpenListener(io.get_executor(), listen);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("cannot listen on ") + e.what());
  }
}

// What UserByAccessKey names as the API host; empty (the request's Host) when
// bound to a wildcard address.
std::string ApiUrl(const tcp::endpoint& bound) {
  return bound.address().is_unspecified() ? "" : "http://" + net::ToString(bound);
}

SandboxRequest ToSandboxRequest(const net::HttpRequest& request) {
  SandboxRequest copy;
  copy.method = std::string(request.method_string());
  copy.target = std::string(request.target());
  copy.access_key_header = std::string(request["x-LSQ-AccessKey"]);
  copy.secret_key_header = std::string(request["x-LSQ-SecretKey"]);
  copy.host = std::string(request[http::field::host]);
  copy.body = request.body();
  return copy;
}

net::HttpResponse ToResponse(SandboxReply reply, unsigned version) {
  net::HttpResponse response{static_cast<http::status>(reply.status), version};
  response.set(http::field::server, "leadsync-sandbox");
  response.set(http::field::content_type, reply.content_type);
  if (reply.retry_after) response.set(http::field::retry_after, std::to_string(reply.retry_after->count()));
  response.body() = std::move(reply.body);
  return response;
}

// The I/O side of SandboxApi: latency as a timer on the loop, a drop as a
// reset, an outage handed to `on_outage` once its request is answered.
class SandboxHandler final : public net::HttpHandler {
 public:
  using OutageCall = std::function<void(std::chrono::milliseconds)>;

  SandboxHandler(SandboxOptions options, std::string api_url, OutageCall on_outage)
      : api_(std::move(options), std::move(api_url)), on_outage_(std::move(on_outage)) {}

  asio::awaitable<std::optional<net::HttpResponse>> Handle(net::HttpRequest& request,
                                                           net::ConnectionState& connection) override {
    const SandboxRequest copy = ToSandboxRequest(request);
    // `flag`: this connection has carried an API call and was counted.
    if (!connection.flag && SandboxApi::IsApiPath(copy.target)) {
      api_.CountConnection();
      connection.flag = true;
    }
    SandboxReply reply = api_.Handle(copy, std::chrono::steady_clock::now());
    if (reply.delay.count() > 0) {
      asio::steady_timer latency(co_await asio::this_coro::executor, reply.delay);
      co_await latency.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (reply.drop) co_return std::nullopt;
    if (SandboxApi::IsBulkCall(copy.method, copy.target)) api_.CountAnswer();
    if (reply.outage.count() > 0) on_outage_(reply.outage);
    co_return ToResponse(std::move(reply), request.version());
  }

 private:
  SandboxApi api_;
  OutageCall on_outage_;
};

}  // namespace

class Sandbox::Impl final {
 public:
  Impl(asio::io_context& io, const std::string& listen, const SandboxOptions& options)
      : Impl(io, Open(io, listen), options) {}

  void Stop() {
    stopped_ = true;
    reopen_.cancel();
    server_->Stop();
  }
  [[nodiscard]] const tcp::endpoint& bound() const { return bound_; }

 private:
  Impl(asio::io_context& io, tcp::acceptor acceptor, const SandboxOptions& options)
      : io_(io),
        limits_(Limits(options)),
        bound_(acceptor.local_endpoint()),
        handler_(std::make_shared<SandboxHandler>(
            options, ApiUrl(bound_), [this](std::chrono::milliseconds length) { Outage(length); })),
        reopen_(io) {
    Serve(std::move(acceptor));
  }

  void Serve(tcp::acceptor acceptor) {
    server_ = std::make_unique<net::HttpServer>(io_.get_executor(), limits_, handler_);
    server_->Listen(std::move(acceptor));
    server_->Start();
  }

  // Posted, so that the answer to the request asking for the outage is
  // already being written: Stop() lets it finish.
  void Outage(std::chrono::milliseconds length) {
    asio::post(io_, [this, length] {
      if (stopped_) return;
      spdlog::info("sandbox: down for {} ms", length.count());
      server_->Stop();
      Reopen(length);
    });
  }

  void Reopen(std::chrono::milliseconds after) {
    reopen_.expires_after(after);
    reopen_.async_wait([this](const boost::system::error_code& error) {
      if (error || stopped_) return;
      try {
        Serve(Open(io_, net::ToString(bound_)));
        spdlog::info("sandbox: listening again on {}", net::ToString(bound_));
      } catch (const std::runtime_error& e) {
        // Another process may hold the port for a moment; try again.
        spdlog::warn("sandbox: {}", e.what());
        Reopen(std::chrono::milliseconds(100));
      }
    });
  }

  asio::io_context& io_;
  net::ServerLimits limits_;
  tcp::endpoint bound_;
  std::shared_ptr<SandboxHandler> handler_;
  asio::steady_timer reopen_;
  std::unique_ptr<net::HttpServer> server_;
  bool stopped_ = false;
};

Sandbox::Sandbox(asio::io_context& io, const std::string& listen, const SandboxOptions& options)
    : impl_(std::make_unique<Impl>(io, listen, options)) {}

Sandbox::~Sandbox() { impl_->Stop(); }

std::uint16_t Sandbox::port() const { return impl_->bound().port(); }

std::string Sandbox::address() const { return net::ToString(impl_->bound()); }

void Sandbox::Stop() { impl_->Stop(); }

}  // namespace leadsync
