#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/codec/api_answer.hpp"

namespace leadsync {

// The class of an API call's result, decided once at the HTTP boundary; the
// retry policy branches on nothing else.
enum class OutcomeKind {
  kOk,           // 200 with one row per record
  kRateLimited,  // 429
  kTransient,    // 5xx without an MX exception, or an unreadable 200
  kDataError,    // 400, or 500 with an MX exception
  kAuth,         // 401, 403
  kNotFound,     // 404
  kNetwork,      // connect/read/write failure, reset, refused
  kTimeout,      // request_timeout passed
};

struct ApiOutcome {
  OutcomeKind kind = OutcomeKind::kNetwork;
  int status = 0;                       // HTTP status; 0 for kNetwork/kTimeout
  std::vector<RowResult> rows;          // kOk
  ApiError error;                       // 5xx/400 body when it had one
  std::string message;                  // human-readable summary, never a secret
  std::optional<Duration> retry_after;  // Retry-After, when sent
  Duration elapsed{0};
  std::string body;  // raw answer body (capped)
};

// "200", "429", "network", "timeout": the label of leadsync_requests_total.
[[nodiscard]] std::string CodeLabel(const ApiOutcome& outcome);

}  // namespace leadsync
