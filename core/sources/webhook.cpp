#include "core/sources/webhook.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <stdexcept>

#include "core/net/http_server.hpp"
#include "core/net/listener.hpp"
#include "core/net/tls_context.hpp"
#include "core/sources/webhook_handler.hpp"

namespace leadsync {
namespace {

using namespace std::chrono_literals;

net::ServerLimits Limits(const WebhookOptions& settings, const SourceEvents& events) {
  net::ServerLimits limits;
  limits.name = "source " + settings.ingest.source;
  if (events.on_connection_dropped) {
    limits.on_dropped = [report = events.on_connection_dropped, name = settings.ingest.source](
                            net::DropReason reason) { report(name, net::DropReasonLabel(reason)); };
  }
  limits.max_connections = WebhookSource::kMaxConnections;
  limits.idle_timeout = 5s;
  limits.header_timeout = 10s;
  limits.body_timeout = 30s;
  limits.write_timeout = 10s;
  limits.body_limit = settings.max_body;
  return limits;
}

std::shared_ptr<boost::asio::ssl::context> TlsContext(const WebhookOptions& settings) {
  if (!settings.tls()) return nullptr;
  return net::MakeServerTlsContext(settings.tls_certificate, settings.tls_key);
}

}  // namespace

WebhookSource::WebhookSource(SourceContext context, WebhookOptions options)
    : context_(std::move(context)),
      settings_(std::move(options)),
      handler_(std::make_shared<WebhookHandler>(context_, settings_)) {}

WebhookSource::~WebhookSource() = default;

boost::asio::awaitable<void> WebhookSource::Run() {
  if (stopped_) co_return;
  server_ = std::make_unique<net::HttpServer>(context_.executor, Limits(settings_, context_.events), handler_,
                                              TlsContext(settings_));
  try {
    server_->Listen(co_await net::OpenListenerAsync(context_.executor, settings_.listen));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("cannot listen on ") + e.what());
  }
  port_ = server_->port();
  spdlog::info("source {}: listening on {}{}", settings_.ingest.source,
               net::ToString(server_->local_endpoint()), settings_.tls() ? " (HTTPS)" : "");
  if (stopped_) server_->Stop();  // Stop() came while the address was being resolved
  co_await server_->Serve();
}

void WebhookSource::Stop() {
  boost::asio::dispatch(context_.executor, [this] {
    stopped_ = true;
    if (server_) server_->Stop();
  });
}

}  // namespace leadsync
