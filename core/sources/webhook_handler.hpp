#pragma once

// The webhook's HTTP side; included by webhook.cpp and tests only (it brings
// Beast's message types through core/net/http_server.hpp).

#include <cstdint>
#include <string>

#include "core/net/http_server.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/ingest_report.hpp"
#include "core/sources/source_context.hpp"
#include "core/sources/webhook_options.hpp"
#include "core/sources/webhook_token.hpp"

namespace leadsync {

// Answers the webhook's requests (see WebhookSource for the contract):
//   POST /v1/leads         token, then size, then room; 202 once committed
//   HEAD /v1/leads, HEAD and GET /healthz   200, no token needed (probes)
// Everything but the commit is decided in Screen(), before the body is read.
// Runs on the context's executor; the body is parsed and committed on the
// queue thread (QueueService), so a large body never stalls the loop.
class WebhookHandler final : public net::HttpHandler {
 public:
  static constexpr int kRetryAfterSeconds = 5;

  WebhookHandler(SourceContext context, const WebhookOptions& options);

  [[nodiscard]] std::optional<net::HttpResponse> Screen(const net::HttpRequestHeader& header) override;
  [[nodiscard]] boost::asio::awaitable<std::optional<net::HttpResponse>> Handle(
      net::HttpRequest& request, net::ConnectionState& connection) override;

 private:
  // What the queue thread made of one body.
  struct BodyCommit {
    enum class Outcome { kCommitted, kRefused, kFull } outcome = Outcome::kCommitted;
    CommitOutcome commit{};  // kCommitted, kFull
    std::string error{};     // kRefused: what is wrong; the index is in `index`
    std::size_t index = 0;
    std::string category{};
  };

  [[nodiscard]] std::optional<net::HttpResponse> ScreenLeads(const net::HttpRequestHeader& header) const;
  [[nodiscard]] BodyCommit CommitBody(Queue& queue, std::string_view body, std::int64_t max_pending,
                                      TimePoint now) const;
  [[nodiscard]] net::HttpResponse Answer(const BodyCommit& commit, unsigned version);
  [[nodiscard]] net::HttpResponse QueueFailed(const std::string& what, unsigned version);
  void ReportRefusal(const BodyCommit& commit);
  [[nodiscard]] std::string FullNotice() const;

  SourceContext context_;
  std::string source_;
  IngestOptions ingest_options_;
  WebhookToken token_;
  IngestReport report_;
};

}  // namespace leadsync
