#include "core/http/classify.hpp"

#include "core/http/refusal.hpp"

namespace leadsync {
namespace {

OutcomeKind KindOfError(int status, const std::optional<ApiError>& error) {
  if (status == 429 || (error && IsRateLimitRefusal(*error))) return OutcomeKind::kRateLimited;
  if (status == 400 || status == 413) return OutcomeKind::kDataError;
  if (status == 401 || status == 403) return OutcomeKind::kAuth;
  if (status == 404 || (status >= 300 && status < 400)) return OutcomeKind::kNotFound;
  if ((status == 500 || status == 200) && error && IsDataException(*error)) return OutcomeKind::kDataError;
  // Any other 5xx, and statuses LeadSquared does not document: retry with
  // backoff, which neither loses records nor stalls dispatch.
  return OutcomeKind::kTransient;
}

std::string ErrorMessage(int status, const std::optional<ApiError>& error) {
  std::string message = "HTTP " + std::to_string(status);
  if (!error) return message;
  if (!error->exception_type.empty()) message += " " + error->exception_type;
  if (!error->exception_message.empty()) {
    message += (error->exception_type.empty() ? " " : ": ") + error->exception_message;
  }
  return message;
}

void ClassifyError(int status, std::optional<ApiError> error, ApiOutcome& outcome) {
  outcome.kind = KindOfError(status, error);
  outcome.message = ErrorMessage(status, error);
  if (!error) return;
  outcome.stated_limit = ParseStatedLimit(error->exception_message);
  outcome.error = std::move(*error);
}

// A 200 is rows, or an error object in their place (a refusal, an MX
// exception), which counts like the same error under any other status.
void ClassifyOk(std::string_view body, AnswerShape shape, std::size_t records, ApiOutcome& outcome) {
  outcome.kind = OutcomeKind::kOk;
  outcome.message = "HTTP 200";
  if (shape == AnswerShape::kRawBody) return;
  std::string why;
  if (auto rows = ParseBulkAnswer(body, records, &why)) {
    outcome.rows = std::move(*rows);
    return;
  }
  if (std::optional<ApiError> error = ParseApiError(body)) {
    const bool known = IsRateLimitRefusal(*error) || IsDataException(*error);
    ClassifyError(200, std::move(error), outcome);
    if (known) return;
  }
  outcome.kind = OutcomeKind::kTransient;
  outcome.message = "HTTP 200 with an unreadable answer: " + (why.empty() ? outcome.message : why);
}

}  // namespace

ApiOutcome ClassifyAnswer(int status, std::string_view body, std::string_view retry_after, AnswerShape shape,
                          std::size_t records, TimePoint now) {
  ApiOutcome outcome;
  outcome.status = status;
  outcome.retry_after = ParseRetryAfter(retry_after, now);
  outcome.body = std::string(body.substr(0, kMaxOutcomeBody));
  if (status == 200) {
    ClassifyOk(body, shape, records, outcome);
  } else {
    ClassifyError(status, ParseApiError(body), outcome);
  }
  return outcome;
}

ApiOutcome FailedExchange(OutcomeKind kind, std::string message) {
  ApiOutcome outcome;
  outcome.kind = kind;
  outcome.status = 0;
  outcome.message = std::move(message);
  return outcome;
}

}  // namespace leadsync
