#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"
#include "core/sources/webhook_options.hpp"

namespace leadsync {

namespace net {
class HttpServer;
}  // namespace net
class WebhookHandler;

// The webhook source: an HTTP/1.1 server on `listen` (HTTPS with
// tls_cert_file and tls_key_file) taking leads by POST /v1/leads.
//
//   body      one lead or a JSON array of leads, each a flat object or the
//             API's pair array (see DecodeWebhookBody); `fields` and
//             `search_by` apply as for files
//   token     "Authorization: Bearer TOKEN", or the bare token in the header
//             `token_header` names; compared in constant time (WebhookToken)
//   answers   202 {"accepted": N} once the leads are durably committed
//             400 {"error": ..., "index": N}: malformed JSON, or lead N
//                 unreadable or without a key; nothing of the request is kept
//             401 missing or wrong token (before the body is read)
//             413 body over max_body (by Content-Length, or as it arrives)
//             501 a Transfer-Encoding other than `chunked`
//             503 + Retry-After while the queue is at max_pending, or when
//                 the queue cannot commit (reported once as a source error)
//             HEAD /v1/leads, HEAD and GET /healthz: 200 without a token
//             every refusal (4xx, 5xx before the body) closes the connection
// Limits per client (net::ServerLimits): kMaxConnections open (the one
// longest without progress, idle or not reading its answers, gives way to a
// new one), 5 s idle, 10 s for a header, 30 s for a body, 10 s to take an
// answer; a connection holds at most 20 KiB of unparsed input and max_body
// of body. A slow or stalled client holds only its own connection:
// everything runs as coroutines on the loop, bodies are parsed and
// committed on the queue thread. Dropped connections are reported through
// SourceEvents::on_connection_dropped.
//
// TLS: the certificate and key are the PEM texts config read from the files
// (WebhookOptions::tls_certificate, tls_key), loaded when Run() starts. A
// reload (SIGHUP) rereads the files; when their content changed the
// settings differ, so the daemon restarts the source and the new pair
// takes effect. Without a SIGHUP a renewed certificate is not noticed.
//
// Run() throws when it cannot listen (address taken, bad certificate): the
// daemon logs it, counts a source error and restarts the source with
// backoff. Stop() from any thread: the listener and idle connections close,
// requests being committed get their answer, then Run() returns.
// Ownership: borrows everything in SourceContext; Run() on its executor.
class WebhookSource final : public Source {
 public:
  static constexpr std::size_t kMaxConnections = 256;

  WebhookSource(SourceContext context, WebhookOptions options);
  ~WebhookSource() override;
  WebhookSource(const WebhookSource&) = delete;
  WebhookSource& operator=(const WebhookSource&) = delete;

  [[nodiscard]] boost::asio::awaitable<void> Run() override;
  void Stop() override;

  // The bound port once Run() listens (0 before): the chosen one for port 0.
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  SourceContext context_;
  WebhookOptions settings_;
  std::shared_ptr<WebhookHandler> handler_;
  std::unique_ptr<net::HttpServer> server_;
  bool stopped_ = false;
  std::atomic<std::uint16_t> port_{0};
};

}  // namespace leadsync
