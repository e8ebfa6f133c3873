// SqliteQueue's DispatchQueue role (sqlite_queue.hpp).
#include <spdlog/spdlog.h>

#include "core/codec/api_body.hpp"
#include "core/queue/sqlite.hpp"
#include "core/queue/sqlite_queue.hpp"
#include "core/queue/sqlite_queue_work.hpp"

namespace leadsync {

Readiness SqliteQueue::ReadReadiness(int limit, TimePoint now) {
  sqlite::StatementScope scope(*db_);
  return records_.ReadReadiness(limit, now);
}

std::vector<QueuedRecord> SqliteQueue::Claim(const ClaimLimit& limit, TimePoint now,
                                             const WithClaim& with_claim) {
  Work work(*this);
  std::vector<QueuedRecord> claimed;
  BodySize body;
  for (StoredRecord& row : records_.WakeAndReadReady(limit.records, claim_order_.Next(), now, work.counts)) {
    if (!IsStoredRecord(row.record)) {
      records_.Remove(row, work.counts);
      work.unreadable.push_back(std::move(row));
      continue;
    }
    // The rest stay ready, in their place: the next claim starts with them.
    if (!claimed.empty() && !body.Fits(row.record.size(), limit.body_bytes)) break;
    body.Add(row.record.size());
    records_.MarkInFlight(row.id, work.counts);
    claimed.push_back({row.id, std::move(row.key), std::move(row.source), std::move(row.record), row.attempts,
                       row.first_seen, row.priority});
  }
  if (!claimed.empty() && with_claim) with_claim(*this);
  work.Commit(now);
  if (!claimed.empty()) claim_order_.Claimed();
  return claimed;
}

void SqliteQueue::ApplySettlement(const Settlement& s) {
  Work work(*this);
  for (const Delivered& d : s.delivered) RemoveDelivered(work, d, s);
  for (const DeadLetter& d : s.dead) MoveToDeadLetters(work, d, s);
  for (const RetryLater& r : s.retry) {
    if (auto row = records_.FindInFlight(r.id))
      records_.Return(*row, r.not_before, true, work.counts, work.unreadable);
  }
  for (std::int64_t id : s.returned) {
    if (auto row = records_.FindInFlight(id))
      records_.Return(*row, std::nullopt, false, work.counts, work.unreadable);
  }
  work.Commit(s.at);
}

void SqliteQueue::RemoveDelivered(Work& work, const Delivered& d, const Settlement& s) {
  const std::optional<StoredRecord> row = records_.FindInFlight(d.id);
  if (!row) return;
  Journal(*row, s, &d.row, "");
  records_.Remove(*row, work.counts);
}

void SqliteQueue::MoveToDeadLetters(Work& work, const DeadLetter& d, const Settlement& s) {
  const std::optional<StoredRecord> row = records_.FindInFlight(d.id);
  if (!row) return;
  Journal(*row, s, nullptr, d.message);
  dead_.AddRefused(*row, d, s.at);
  ++work.counts.dead_letters;
  records_.Remove(*row, work.counts);
}

void SqliteQueue::Journal(const StoredRecord& row, const Settlement& s, const RowResult* result,
                          const std::string& message) {
  if (!options_.journal) return;
  HistoryEntry entry{s.at, s.status, "", false, false, "", message};
  if (result != nullptr) {
    entry.lead_id = result->lead_id;
    entry.created = result->created;
    entry.updated = result->updated;
  }
  history_.Append(row, entry);
}

std::int64_t SqliteQueue::ReturnInFlight(TimePoint now) {
  Work work(*this);
  const std::vector<std::int64_t> ids = records_.InFlightIds();
  for (std::int64_t id : ids) {
    if (auto row = records_.FindInFlight(id))
      records_.Return(*row, std::nullopt, false, work.counts, work.unreadable);
  }
  work.Commit(now);
  return static_cast<std::int64_t>(ids.size());
}

std::vector<TimePoint> SqliteQueue::CallStartsSince(TimePoint since) {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare(CallStartQueries::kSince);
  s.Bind(1, ToUnixMillis(since));
  std::vector<TimePoint> starts;
  while (s.Step()) starts.push_back(FromUnixMillis(s.Int(0)));
  return starts;
}

void SqliteQueue::AddCallStart(TimePoint at) {
  sqlite::Statement& s = db_->Prepare(CallStartQueries::kAdd);
  s.Bind(1, ToUnixMillis(at)).Run();
}

void SqliteQueue::PruneCallStarts(TimePoint before) {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare(CallStartQueries::kPrune);
  s.Bind(1, ToUnixMillis(before)).Run();
}

std::vector<LearnedLimit> SqliteQueue::LearnedLimits() {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare("SELECT per, calls, configured FROM learned_limits ORDER BY per");
  std::vector<LearnedLimit> limits;
  while (s.Step()) {
    const std::optional<int> configured =
        s.IsNull(2) ? std::nullopt : std::optional(static_cast<int>(s.Int(2)));
    limits.push_back({Duration{s.Int(0)}, static_cast<int>(s.Int(1)), configured});
  }
  return limits;
}

void SqliteQueue::ReplaceLearnedLimits(std::span<const LearnedLimit> limits) {
  db_->Prepare("DELETE FROM learned_limits").Run();
  for (const LearnedLimit& l : limits) {
    sqlite::Statement& s =
        db_->Prepare("INSERT INTO learned_limits(per, calls, configured) VALUES(?1, ?2, ?3)");
    const auto configured = l.configured ? std::optional<std::int64_t>(*l.configured) : std::nullopt;
    s.Bind(1, std::int64_t{l.per.count()}).Bind(2, std::int64_t{l.calls}).Bind(3, configured).Run();
  }
}

std::optional<StoredLeadSchema> SqliteQueue::LoadLeadSchema() {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare("SELECT body, fetched_at FROM lead_schema WHERE id = 1");
  if (!s.Step()) return std::nullopt;
  return StoredLeadSchema{s.Text(0), FromUnixMillis(s.Int(1))};
}

void SqliteQueue::StoreLeadSchema(const StoredLeadSchema& schema) {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s =
      db_->Prepare("INSERT OR REPLACE INTO lead_schema(id, body, fetched_at) VALUES(1, ?1, ?2)");
  s.Bind(1, schema.body).Bind(2, ToUnixMillis(schema.fetched_at)).Run();
}

}  // namespace leadsync
