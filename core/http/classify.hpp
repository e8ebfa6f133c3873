#pragma once

#include <string>
#include <string_view>

#include "core/http/outcome.hpp"

// Internal to core/http: turns what came back from the server into an
// ApiOutcome. Kept apart from the socket code so every status rule has a
// unit test without a network.
namespace leadsync {

// What the caller expects of a 200: one row per record (the bulk endpoint),
// or just a body to hand back (UserByAccessKey).
enum class AnswerShape { kBulkRows, kRawBody };

// Answer bodies kept in ApiOutcome::body are cut to this size.
inline constexpr std::size_t kMaxOutcomeBody = 64 * 1024;

// The one place where statuses and bodies become an OutcomeKind (see
// outcome.hpp for the kinds). `retry_after` is the Retry-After header as sent
// (empty when absent); `records` the records the call carried (kBulkRows: a
// 200 with more rows is unreadable); `now` turns an HTTP-date into a wait.
[[nodiscard]] ApiOutcome ClassifyAnswer(int status, std::string_view body, std::string_view retry_after,
                                        AnswerShape shape, std::size_t records, TimePoint now);

// kNetwork or kTimeout, with status 0.
[[nodiscard]] ApiOutcome FailedExchange(OutcomeKind kind, std::string message);

}  // namespace leadsync
