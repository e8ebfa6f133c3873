#include "core/sources/webhook_handler.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <exception>
#include <utility>

#include "core/codec/json_writer.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/webhook_body.hpp"

namespace leadsync {
namespace {

namespace http = boost::beast::http;
using net::HttpResponse;

constexpr std::string_view kLeadsPath = "/v1/leads";
constexpr std::string_view kHealthPath = "/healthz";
constexpr std::string_view kJson = "application/json";
constexpr const char* kQueueFailing = "queue";  // reported once until a commit succeeds

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

HttpResponse JsonAnswer(unsigned version, int status, std::string body) {
  return net::MakeResponse(version, status, std::move(body), kJson);
}

HttpResponse JsonError(unsigned version, int status, std::string_view error) {
  return JsonAnswer(version, status, "{\"error\":" + QuoteJson(error) + "}");
}

HttpResponse MethodNotAllowed(unsigned version, std::string_view allow) {
  HttpResponse response = JsonError(version, 405, "method not allowed");
  response.set(http::field::allow, allow);
  return response;
}

HttpResponse Unavailable(unsigned version, std::string_view why) {
  HttpResponse response = JsonError(version, 503, why);
  response.set(http::field::retry_after, std::to_string(WebhookHandler::kRetryAfterSeconds));
  return response;
}

}  // namespace

WebhookHandler::WebhookHandler(SourceContext context, const WebhookOptions& options)
    : context_(std::move(context)),
      source_(options.ingest.source),
      ingest_options_(options.ingest),
      token_(options.token_header, options.token),
      report_(context_, source_) {}

std::optional<HttpResponse> WebhookHandler::Screen(const net::HttpRequestHeader& header) {
  const std::string_view path = PathOf(header.target());
  const unsigned version = header.version();
  const bool head = header.method() == http::verb::head;
  if (path == kHealthPath) {
    if (head || header.method() == http::verb::get) return net::MakeResponse(version, 200, head ? "" : "ok");
    return MethodNotAllowed(version, "GET, HEAD");
  }
  if (path != kLeadsPath) return JsonError(version, 404, "not found; leads go to POST /v1/leads");
  if (head) return net::MakeResponse(version, 200, "");
  if (header.method() != http::verb::post) return MethodNotAllowed(version, "POST, HEAD");
  return ScreenLeads(header);
}

std::optional<HttpResponse> WebhookHandler::ScreenLeads(const net::HttpRequestHeader& header) const {
  if (!token_.Accepts(header[token_.header()])) {
    HttpResponse response = JsonError(header.version(), 401, "missing or wrong token");
    if (token_.bearer()) response.set(http::field::www_authenticate, "Bearer realm=\"leadsync\"");
    return response;
  }
  if (context_.backpressure.Full()) return Unavailable(header.version(), "queue full; retry later");
  return std::nullopt;
}

boost::asio::awaitable<std::optional<HttpResponse>> WebhookHandler::Handle(
    net::HttpRequest& request, net::ConnectionState& /*connection*/) {
  const std::string body = std::move(request.body());
  const std::int64_t max_pending = context_.backpressure.limit();
  const TimePoint now = context_.clock.Now();
  // Named, not a temporary inside co_await: GCC 12 destroys such a
  // temporary's captures twice.
  auto commit_body = [this, &body, max_pending, now](Queue& queue) {
    return CommitBody(queue, body, max_pending, now);
  };
  BodyCommit commit;
  std::optional<std::string> failure;
  try {
    commit = co_await context_.queue.Submit(commit_body);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (failure) co_return QueueFailed(*failure, request.version());
  co_return Answer(commit, request.version());
}

WebhookHandler::BodyCommit WebhookHandler::CommitBody(Queue& queue, std::string_view body,
                                                      std::int64_t max_pending, TimePoint now) const {
  if (RoomUnder(queue.Backlog(), max_pending, 1) == 0) {
    return {.outcome = BodyCommit::Outcome::kFull, .commit = FullAt(queue.Backlog())};
  }
  WebhookBody decoded = DecodeWebhookBody(body, ingest_options_);
  if (decoded.problem) {
    return {.outcome = BodyCommit::Outcome::kRefused,
            .error = std::move(decoded.problem->error),
            .index = decoded.problem->index,
            .category = std::move(decoded.problem->category)};
  }
  CommitOutcome commit;
  commit.backlog = queue.Backlog();
  if (!decoded.leads.empty()) commit = CommitBatch(queue, {std::move(decoded.leads), {}}, std::nullopt, now);
  return {.outcome = BodyCommit::Outcome::kCommitted, .commit = std::move(commit)};
}

HttpResponse WebhookHandler::Answer(const BodyCommit& commit, unsigned version) {
  switch (commit.outcome) {
    case BodyCommit::Outcome::kFull:
      report_.Full(commit.commit.backlog, FullNotice());
      return Unavailable(version, "queue full; retry later");
    case BodyCommit::Outcome::kRefused:
      ReportRefusal(commit);
      return JsonAnswer(
          version, 400,
          "{\"error\":" + QuoteJson(commit.error) + ",\"index\":" + std::to_string(commit.index) + "}");
    case BodyCommit::Outcome::kCommitted:
      break;
  }
  report_.Clear(kQueueFailing);
  report_.Committed(commit.commit);
  return JsonAnswer(version, 202, "{\"accepted\":" + std::to_string(commit.commit.leads) + "}");
}

// Nothing of the request was committed, and the sender knows why; the
// refusal still counts in leadsync_records_rejected_total{source,reason}.
void WebhookHandler::ReportRefusal(const BodyCommit& commit) {
  const Rejection rejection{source_, "", "request", commit.error, "", commit.category};
  report_.Refused(std::span<const Rejection>(&rejection, 1));
}

std::string WebhookHandler::FullNotice() const {
  return "queue backlog at max_pending (" + std::to_string(context_.backpressure.limit()) +
         "): answering 503 until it drains";
}

// The sender may retry; the operator hears of it once per failing stretch.
HttpResponse WebhookHandler::QueueFailed(const std::string& what, unsigned version) {
  report_.Error(kQueueFailing,
                "cannot commit a request: " + what + "; answering 503 until the queue recovers");
  return Unavailable(version, "queue unavailable; retry later");
}

}  // namespace leadsync
