#pragma once

#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/codec/api_answer.hpp"

namespace leadsync {

// The account's limit as a refusal states it: "API calls exceeded the limit
// of N in S second(s)".
struct StatedLimit {
  int calls = 0;
  Duration per{0};
  bool operator==(const StatedLimit&) const = default;
};

// LeadSquared refuses a call over the account's limit with
// MXAPIRateLimitExceededException and the message above, but under HTTP 429,
// 403 or even 200: the exception or the message decides, not the status.
[[nodiscard]] bool IsRateLimitRefusal(const ApiError& error);

// N and S from a refusal's message; nullopt when it does not state them
// (or states numbers past int's range).
[[nodiscard]] std::optional<StatedLimit> ParseStatedLimit(std::string_view message);

// Retry-After as delta-seconds or an HTTP-date (RFC 9110), as a wait from
// `now`; nullopt when absent or unreadable. A date in the past is no wait;
// a wait over 24 hours is read as 24 hours.
[[nodiscard]] std::optional<Duration> ParseRetryAfter(std::string_view value, TimePoint now);

}  // namespace leadsync
