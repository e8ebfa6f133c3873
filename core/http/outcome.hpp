#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/codec/api_answer.hpp"
#include "core/http/refusal.hpp"

namespace leadsync {

// The class of an API call's result, decided once at the HTTP boundary; the
// retry policy branches on nothing else.
enum class OutcomeKind {
  kOk,           // 200 with one row per record
  kRateLimited,  // a refusal over the limit: 429, or MXAPIRateLimitExceededException under any status
  kTransient,    // 5xx without an MX exception, or a 200 that is neither rows nor a known error
  kDataError,    // 400, or an MX exception (500, or a 200 carrying one)
  kAuth,         // 401, 403 without a rate-limit exception
  kNotFound,     // 404
  kNetwork,      // connect/read/write failure, reset, refused
  kTimeout,      // request_timeout passed
};

struct ApiOutcome {
  OutcomeKind kind = OutcomeKind::kNetwork;
  int status = 0;                           // HTTP status; 0 for kNetwork/kTimeout
  std::vector<RowResult> rows;              // kOk
  ApiError error;                           // 5xx/400 body when it had one
  std::string message;                      // human-readable summary, never a secret
  std::optional<Duration> retry_after;      // Retry-After, when sent
  std::optional<StatedLimit> stated_limit;  // a refusal's "limit of N in S second(s)"
  Duration elapsed{0};
  std::string body;  // raw answer body (capped)
};

// "200", "429", "network", "timeout": the label of leadsync_requests_total.
[[nodiscard]] std::string CodeLabel(const ApiOutcome& outcome);

}  // namespace leadsync
