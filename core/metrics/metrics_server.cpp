#include "core/metrics/metrics_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/metrics/metrics.hpp"
#include "core/net/http_server.hpp"
#include "core/net/request_framing.hpp"

namespace leadsync {
namespace {

namespace http = boost::beast::http;
using net::HttpRequest;
using net::HttpResponse;
using net::MakeResponse;
using namespace std::chrono_literals;

constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4";

net::ServerLimits Limits(Metrics& metrics) {
  net::ServerLimits limits;
  limits.name = "metrics";
  limits.on_dropped = [&metrics](net::DropReason reason) {
    metrics.RecordConnectionDropped("", net::DropReasonLabel(reason));
  };
  limits.max_connections = MetricsServer::kMaxConnections;
  limits.idle_timeout = 5s;
  limits.header_timeout = 10s;
  limits.body_timeout = 10s;
  limits.write_timeout = 10s;
  limits.body_limit = std::uint64_t{64} * 1024;
  return limits;
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

class MetricsHandler final : public net::HttpHandler {
 public:
  MetricsHandler(const Metrics& metrics, ReadinessProbe not_ready_reason)
      : metrics_(metrics), not_ready_reason_(std::move(not_ready_reason)) {}

  // Everything but the answer itself is decided here, so that each refusal
  // closes its connection and no body is ever read.
  std::optional<HttpResponse> Screen(const net::HttpRequestHeader& header) override {
    if (net::DeclaresBody(header)) return MakeResponse(header.version(), 413, "a request here has no body");
    const std::string_view path = PathOf(header.target());
    if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
      return MakeResponse(header.version(), 404, "not found");
    }
    if (header.method() != http::verb::get) {
      HttpResponse response = MakeResponse(header.version(), 405, "method not allowed");
      response.set(http::field::allow, "GET");
      return response;
    }
    return std::nullopt;
  }

  boost::asio::awaitable<std::optional<HttpResponse>> Handle(HttpRequest& request,
                                                             net::ConnectionState& /*connection*/) override {
    co_return Answer(request);
  }

 private:
  [[nodiscard]] HttpResponse Answer(const HttpRequest& request) const {
    const std::string_view path = PathOf(request.target());
    if (path == "/metrics")
      return MakeResponse(request.version(), 200, metrics_.Serialize(), kMetricsContentType);
    if (path == "/healthz") return Probe(request.version(), unhealthy_reason_, "ok");
    return Probe(request.version(), not_ready_reason_, "ready");
  }

 public:
  void SetHealthProbe(ReadinessProbe probe) { unhealthy_reason_ = std::move(probe); }

 private:
  [[nodiscard]] static HttpResponse Probe(unsigned version, const ReadinessProbe& probe, const char* fine) {
    std::optional<std::string> reason;
    try {
      if (probe) reason = probe();
    } catch (const std::exception& e) {  // a failing check means not ready, not a dropped connection
      reason = std::string("check failed: ") + e.what();
    }
    if (!reason) return MakeResponse(version, 200, fine);
    return MakeResponse(version, 503, *reason);
  }

  const Metrics& metrics_;
  ReadinessProbe not_ready_reason_;
  ReadinessProbe unhealthy_reason_;
};

}  // namespace

class MetricsServer::Impl final {
 public:
  Impl(boost::asio::any_io_executor executor, std::string listen, Metrics& metrics, ReadinessProbe reason)
      : listen_(std::move(listen)),
        handler_(std::make_shared<MetricsHandler>(metrics, std::move(reason))),
        server_(std::move(executor), Limits(metrics), handler_) {}

  void SetHealthProbe(ReadinessProbe probe) { handler_->SetHealthProbe(std::move(probe)); }

  void Start() {
    try {
      server_.Listen(listen_);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(std::string("metrics.listen ") + e.what());
    }
    server_.Start();
  }

  void Stop() { server_.Stop(); }
  [[nodiscard]] std::uint16_t port() const { return server_.port(); }

 private:
  std::string listen_;
  std::shared_ptr<MetricsHandler> handler_;
  net::HttpServer server_;
};

MetricsServer::MetricsServer(boost::asio::any_io_executor executor, std::string listen, Metrics& metrics,
                             ReadinessProbe not_ready_reason)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(listen), metrics,
                                   std::move(not_ready_reason))) {}

MetricsServer::MetricsServer(boost::asio::io_context& io, std::string listen, Metrics& metrics,
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
