#include "core/http/classify.hpp"

#include <charconv>

namespace leadsync {
namespace {

std::optional<Duration> ParseRetryAfter(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  long seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  // Only the delta-seconds form; LeadSquared does not send HTTP dates.
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || seconds < 0)
    return std::nullopt;
  return std::chrono::seconds(seconds);
}

OutcomeKind KindOfError(int status, const std::optional<ApiError>& error) {
  if (status == 400 || status == 413) return OutcomeKind::kDataError;
  if (status == 401 || status == 403) return OutcomeKind::kAuth;
  if (status == 404 || (status >= 300 && status < 400)) return OutcomeKind::kNotFound;
  if (status == 429) return OutcomeKind::kRateLimited;
  if (status == 500 && error && IsDataException(*error)) return OutcomeKind::kDataError;
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

void ClassifyOk(std::string_view body, AnswerShape shape, ApiOutcome& outcome) {
  outcome.kind = OutcomeKind::kOk;
  outcome.message = "HTTP 200";
  if (shape == AnswerShape::kRawBody) return;
  std::string why;
  if (auto rows = ParseBulkAnswer(body, &why)) {
    outcome.rows = std::move(*rows);
    return;
  }
  outcome.kind = OutcomeKind::kTransient;
  outcome.message = "HTTP 200 with an unreadable answer: " + why;
}

}  // namespace

ApiOutcome ClassifyAnswer(int status, std::string_view body, std::string_view retry_after,
                          AnswerShape shape) {
  ApiOutcome outcome;
  outcome.status = status;
  outcome.retry_after = ParseRetryAfter(retry_after);
  outcome.body = std::string(body.substr(0, kMaxOutcomeBody));
  if (status == 200) {
    ClassifyOk(body, shape, outcome);
    return outcome;
  }
  const std::optional<ApiError> error = ParseApiError(body);
  if (error) outcome.error = *error;
  outcome.kind = KindOfError(status, error);
  outcome.message = ErrorMessage(status, error);
  return outcome;
}

ApiOutcome FailedExchange(OutcomeKind kind, std::string message) {
  ApiOutcome outcome;
  outcome.kind = kind;
  outcome.status = 0;
  outcome.message = std::move(message);
  return outcome;
}

void RedactSecret(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  constexpr std::string_view kMask = "[redacted]";
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kMask.size())) {
    text.replace(at, secret.size(), kMask);
  }
}

}  // namespace leadsync
