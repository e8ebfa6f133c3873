#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/dispatch/backoff.hpp"
#include "core/http/outcome.hpp"
#include "core/queue/dead_letter_reasons.hpp"
#include "core/queue/records.hpp"
#include "core/queue/settlement.hpp"

// The delivery policy: pure functions that turn an answer into the
// Settlement of the records the call carried (the queue applies it).
namespace leadsync {

struct RetryPolicy {
  Duration max_record_age{0};  // 0: never give up
};

// A 200 answer: each row with a LeadId is delivered; a row without one is
// dead-lettered with what the answer said; a record the answer left out is
// retried (its fate is unknown, and at-least-once beats silence).
[[nodiscard]] Settlement SettleAccepted(std::span<const QueuedRecord> records, const ApiOutcome& outcome,
                                        TimePoint now, Backoff& backoff);

// A transient failure: every record goes back with one exponential backoff
// delay (from the most attempts among them), unless it is older than
// max_record_age.
[[nodiscard]] Settlement SettleTransient(std::span<const QueuedRecord> records, const ApiOutcome& outcome,
                                         TimePoint now, Backoff& backoff, const RetryPolicy& policy);

// Every record to the dead-letter store with the outcome's status and error.
[[nodiscard]] Settlement SettleDead(std::span<const QueuedRecord> records, const ApiOutcome& outcome,
                                    TimePoint now, const std::string& reason);

// A refusal over the limit: every record back to pending untouched (no
// attempt counted: the call never reached the account), unless it is older
// than max_record_age.
[[nodiscard]] Settlement SettleRefused(std::span<const QueuedRecord> records, const ApiOutcome& outcome,
                                       TimePoint now, const RetryPolicy& policy);

// Every record back to pending untouched (pause, shutdown, a call that
// never got its slot).
[[nodiscard]] Settlement SettleReturned(std::span<const QueuedRecord> records, const ApiOutcome& outcome,
                                        TimePoint now);

}  // namespace leadsync
