#include "core/dispatch/delivery_policy.hpp"

#include <algorithm>

namespace leadsync {
namespace {

Settlement Start(const ApiOutcome& outcome, TimePoint now) {
  return Settlement{now, outcome.status, {}, {}, {}, {}};
}

std::string RowMessage(const RowResult& row) {
  return row.message.empty() ? "the answer's row " + std::to_string(row.row_number) + " has no LeadId"
                             : row.message;
}

bool Expired(const QueuedRecord& r, TimePoint now, const RetryPolicy& policy) {
  return policy.max_record_age.count() > 0 && now - r.first_seen >= policy.max_record_age;
}

DeadLetter ExpiredLetter(const QueuedRecord& r, const ApiOutcome& outcome) {
  return {r.id, dead_letter::kExpired, outcome.status == 0 ? std::nullopt : std::optional(outcome.status),
          outcome.error.exception_type, "gave up after retry.max_record_age: " + outcome.message};
}

}  // namespace

Settlement SettleAccepted(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now,
                          Backoff& backoff) {
  Settlement s = Start(outcome, now);
  std::vector<const RowResult*> rows(records.size(), nullptr);
  for (const RowResult& row : outcome.rows) {
    const auto index = static_cast<std::size_t>(row.row_number - 1);
    if (row.row_number >= 1 && index < rows.size()) rows[index] = &row;
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const QueuedRecord& r = records[i];
    if (rows[i] == nullptr) {
      s.retry.push_back({r.id, now + backoff.Delay(r.attempts + 1)});
    } else if (rows[i]->lead_id.empty()) {
      s.dead.push_back({r.id, dead_letter::kRejectedRow, outcome.status, "", RowMessage(*rows[i])});
    } else {
      s.delivered.push_back({r.id, *rows[i]});
    }
  }
  return s;
}

Settlement SettleTransient(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now,
                           Backoff& backoff, const RetryPolicy& policy) {
  Settlement s = Start(outcome, now);
  // One delay for the whole batch, so that it comes back as one batch and
  // not as a trickle of single-record calls.
  int attempts = 0;
  for (const QueuedRecord& r : records) attempts = std::max(attempts, r.attempts);
  const TimePoint retry_at = now + backoff.Delay(attempts + 1, outcome.retry_after);
  for (const QueuedRecord& r : records) {
    if (Expired(r, now, policy)) {
      s.dead.push_back(ExpiredLetter(r, outcome));
    } else {
      s.retry.push_back({r.id, retry_at});
    }
  }
  return s;
}

Settlement SettleRefused(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now,
                         const RetryPolicy& policy) {
  Settlement s = Start(outcome, now);
  for (const QueuedRecord& r : records) {
    if (Expired(r, now, policy)) {
      s.dead.push_back(ExpiredLetter(r, outcome));
    } else {
      s.returned.push_back(r.id);
    }
  }
  return s;
}

Settlement SettleDead(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now,
                      const std::string& reason) {
  Settlement s = Start(outcome, now);
  const std::string message =
      outcome.error.exception_message.empty() ? outcome.message : outcome.error.exception_message;
  for (const QueuedRecord& r : records) {
    s.dead.push_back({r.id, reason, outcome.status, outcome.error.exception_type, message});
  }
  return s;
}

Settlement SettleReturned(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now) {
  Settlement s = Start(outcome, now);
  for (const QueuedRecord& r : records) s.returned.push_back(r.id);
  return s;
}

}  // namespace leadsync
