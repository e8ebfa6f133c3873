#include "core/http/leadsquared_client.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <chrono>

#include "core/http/classify.hpp"
#include "core/http/http_connection.hpp"
#include "core/http/redact.hpp"

namespace leadsync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

constexpr std::string_view kBulkPath = "/v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate";
constexpr std::string_view kUserPath = "/v2/Authentication.svc/UserByAccessKey.Get";
constexpr std::string_view kMetaDataPath = "/v2/LeadManagement.svc/LeadsMetaData.Get";

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 0xF]};
    }
  }
  return out;
}

std::string FailureMessage(const Exchange& exchange, const Endpoint& endpoint, Duration timeout) {
  const std::string where = std::string(StepName(exchange.step)) + " " + endpoint.Authority();
  if (exchange.TimedOut()) {
    return "timeout: no answer within " + std::to_string(timeout.count()) + "ms (" + where + ")";
  }
  return "network: " + exchange.error.message() + " (" + where + ")";
}

}  // namespace

class LeadSquaredClient::Impl final {
 public:
  Impl(asio::any_io_executor executor, ClientOptions options)
      : options_(std::move(options)),
        connection_(std::move(executor), options_.endpoint, options_.tls_verify, options_.body_limit) {}

  asio::awaitable<ApiOutcome> Call(http::verb verb, std::string_view path, std::string body,
                                   AnswerShape shape, std::size_t records);
  void Close() { connection_.Close(); }

 private:
  [[nodiscard]] HttpRequestMessage BuildRequest(http::verb verb, std::string_view path,
                                                std::string body) const;
  [[nodiscard]] ApiOutcome ToOutcome(const Exchange& exchange, AnswerShape shape, std::size_t records) const;
  void Redact(ApiOutcome& outcome) const;

  ClientOptions options_;
  HttpConnection connection_;
};

HttpRequestMessage LeadSquaredClient::Impl::BuildRequest(http::verb verb, std::string_view path,
                                                         std::string body) const {
  std::string target(path);
  if (options_.auth == AuthPlacement::kQuery) {
    target += "?accessKey=" + UrlEncode(options_.access_key) + "&secretKey=" + UrlEncode(options_.secret_key);
  }
  HttpRequestMessage request{verb, target, 11};
  request.set(http::field::host, options_.endpoint.Authority());
  request.set(http::field::user_agent, "leadsync/" LEADSYNC_VERSION);
  request.set(http::field::accept, "application/json");
  if (options_.auth == AuthPlacement::kHeaders) {
    request.set("x-LSQ-AccessKey", options_.access_key);
    request.set("x-LSQ-SecretKey", options_.secret_key);
  }
  if (verb == http::verb::post) {
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
  }
  request.prepare_payload();
  return request;
}

asio::awaitable<ApiOutcome> LeadSquaredClient::Impl::Call(http::verb verb, std::string_view path,
                                                          std::string body, AnswerShape shape,
                                                          std::size_t records) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + options_.request_timeout;
  const HttpRequestMessage request = BuildRequest(verb, path, std::move(body));
  Exchange exchange = co_await connection_.RoundTrip(request, deadline);
  // The server may close an idle keep-alive connection just as we reuse it;
  // if the request could not even be written, it goes once more on a new
  // connection. Never after it was written: see Exchange::Stale.
  if (exchange.Stale()) exchange = co_await connection_.RoundTrip(request, deadline);
  ApiOutcome outcome = ToOutcome(exchange, shape, records);
  outcome.elapsed = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
  Redact(outcome);
  co_return outcome;
}

ApiOutcome LeadSquaredClient::Impl::ToOutcome(const Exchange& exchange, AnswerShape shape,
                                              std::size_t records) const {
  if (!exchange.Failed()) {
    return ClassifyAnswer(exchange.status, exchange.body, exchange.retry_after, shape, records,
                          SystemTimeSource().Now());
  }
  const OutcomeKind kind = exchange.TimedOut() ? OutcomeKind::kTimeout : OutcomeKind::kNetwork;
  return FailedExchange(kind, FailureMessage(exchange, options_.endpoint, options_.request_timeout));
}

// A server or proxy may echo the request URL, which carries the keys with
// `auth: query`: keys never leave the client inside an outcome.
void LeadSquaredClient::Impl::Redact(ApiOutcome& outcome) const {
  for (const std::string& key : {options_.access_key, options_.secret_key}) {
    RedactSecret(outcome.message, key);
    RedactSecret(outcome.body, key);
    RedactSecret(outcome.error.exception_message, key);
    for (RowResult& row : outcome.rows) RedactSecret(row.message, key);
  }
}

LeadSquaredClient::LeadSquaredClient(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options))) {}

LeadSquaredClient::~LeadSquaredClient() = default;

asio::awaitable<ApiOutcome> LeadSquaredClient::SendBatch(std::string body, std::size_t records) {
  return impl_->Call(http::verb::post, kBulkPath, std::move(body), AnswerShape::kBulkRows, records);
}

asio::awaitable<ApiOutcome> LeadSquaredClient::GetUserByAccessKey() {
  return impl_->Call(http::verb::get, kUserPath, {}, AnswerShape::kRawBody, 0);
}

asio::awaitable<ApiOutcome> LeadSquaredClient::GetLeadsMetaData() {
  return impl_->Call(http::verb::get, kMetaDataPath, {}, AnswerShape::kRawBody, 0);
}

void LeadSquaredClient::Close() { impl_->Close(); }

}  // namespace leadsync
