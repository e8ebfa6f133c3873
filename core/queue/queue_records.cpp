#include "core/codec/api_body.hpp"
#include "core/queue/queue.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

Lead Decode(const std::string& json) {
  std::string error;
  auto lead = DecodeRecord(json, &error);
  if (!lead) throw QueueError("queue holds an unreadable record: " + error);
  return *std::move(lead);
}

}  // namespace

EnqueueResult Queue::Enqueue(std::span<const IncomingLead> leads, std::span<const Rejection> rejections,
                             const std::optional<std::pair<std::string, std::string>>& checkpoint,
                             TimePoint now) {
  EnqueueResult result;
  sqlite::Transaction tx(*db_);
  UpsertAll(leads, now, result);
  for (const Rejection& rejection : rejections) Reject(rejection, now);
  if (checkpoint) {
    sqlite::Statement s(*db_,
                        "INSERT INTO checkpoints(source, checkpoint, ingested) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT(source) DO UPDATE SET checkpoint = ?2, ingested = ingested + ?3");
    s.Bind(1, checkpoint->first)
        .Bind(2, checkpoint->second)
        .Bind(3, static_cast<std::int64_t>(leads.size()))
        .Run();
  }
  tx.Commit();
  pending_ += result.inserted;
  dead_letter_ += static_cast<std::int64_t>(rejections.size());
  result.rejected = static_cast<std::int64_t>(rejections.size());
  return result;
}

struct Queue::UpsertStatements {
  explicit UpsertStatements(sqlite::Database& db)
      : find(db, "SELECT id, lead FROM records WHERE key = ?1 AND state = 0"),
        update(db, "UPDATE records SET lead = ?1 WHERE id = ?2"),
        insert(db, "INSERT INTO records(key, source, lead, first_seen) VALUES(?1, ?2, ?3, ?4)") {}
  sqlite::Statement find;
  sqlite::Statement update;
  sqlite::Statement insert;
};

void Queue::UpsertAll(std::span<const IncomingLead> leads, TimePoint now, EnqueueResult& result) {
  UpsertStatements statements(*db_);
  for (const IncomingLead& lead : leads) Upsert(statements, lead, now, result);
}

void Queue::Upsert(UpsertStatements& st, const IncomingLead& lead, TimePoint now, EnqueueResult& result) {
  const bool pending = st.find.Bind(1, lead.key).Step();
  if (pending) {
    Lead merged = Decode(st.find.Text(1));
    const std::int64_t id = st.find.Int(0);
    st.find.Reset();
    merged.MergeFrom(lead.lead);
    st.update.Bind(1, EncodeRecord(merged)).Bind(2, id).Run();
    ++result.coalesced;
    return;
  }
  st.find.Reset();
  st.insert.Bind(1, lead.key)
      .Bind(2, lead.source)
      .Bind(3, EncodeRecord(lead.lead))
      .Bind(4, ToUnixMillis(now))
      .Run();
  ++result.inserted;
}

void Queue::Reject(const Rejection& r, TimePoint now) {
  sqlite::Statement s(
      *db_,
      "INSERT INTO dead_letters(key, source, reason, status, message, first_seen, dead_lettered_at, "
      "record) VALUES(?1, ?2, ?3, NULL, ?4, ?5, ?5, ?6)");
  const std::string message = r.location.empty() ? r.reason : r.location + ": " + r.reason;
  s.Bind(1, r.key).Bind(2, r.source).Bind(3, "rejected").Bind(4, message).Bind(5, ToUnixMillis(now));
  s.Bind(6, r.record).Run();
}

std::optional<std::string> Queue::Checkpoint(const std::string& source) {
  sqlite::Statement s(*db_, "SELECT checkpoint FROM checkpoints WHERE source = ?1");
  if (!s.Bind(1, source).Step()) return std::nullopt;
  return s.Text(0);
}

namespace {
constexpr const char* kClaimable =
    " FROM records r WHERE state = 0 AND not_before <= ?1 AND NOT EXISTS "
    "(SELECT 1 FROM records f WHERE f.key = r.key AND f.state = 1) ORDER BY id LIMIT ?2";
}

Readiness Queue::CheckReady(int limit, TimePoint now) {
  Readiness readiness;
  sqlite::Statement ready(
      *db_, std::string("SELECT COUNT(*), MIN(first_seen) FROM (SELECT first_seen") + kClaimable + ")");
  if (ready.Bind(1, ToUnixMillis(now)).Bind(2, std::int64_t{limit}).Step()) {
    readiness.ready = ready.Int(0);
    if (!ready.IsNull(1)) readiness.oldest_ready = FromUnixMillis(ready.Int(1));
  }
  sqlite::Statement later(*db_, "SELECT MIN(not_before) FROM records WHERE state = 0 AND not_before > ?1");
  if (later.Bind(1, ToUnixMillis(now)).Step() && !later.IsNull(0)) {
    readiness.next_not_before = FromUnixMillis(later.Int(0));
  }
  return readiness;
}

std::vector<QueuedRecord> Queue::Claim(int limit, TimePoint now) {
  std::vector<QueuedRecord> records;
  sqlite::Transaction tx(*db_);
  sqlite::Statement s(*db_, std::string("SELECT id, key, source, lead, attempts, first_seen") + kClaimable);
  s.Bind(1, ToUnixMillis(now)).Bind(2, std::int64_t{limit});
  while (s.Step()) {
    records.push_back({s.Int(0), s.Text(1), s.Text(2), Decode(s.Text(3)), static_cast<int>(s.Int(4)),
                       FromUnixMillis(s.Int(5))});
  }
  sqlite::Statement mark(*db_, "UPDATE records SET state = 1 WHERE id = ?1");
  for (const QueuedRecord& r : records) mark.Bind(1, r.id).Run();
  if (!records.empty()) {
    sqlite::Statement start(*db_, "INSERT INTO call_starts(at) VALUES(?1)");
    start.Bind(1, ToUnixMillis(now)).Run();
  }
  tx.Commit();
  pending_ -= static_cast<std::int64_t>(records.size());
  in_flight_ += static_cast<std::int64_t>(records.size());
  return records;
}

std::vector<TimePoint> Queue::CallStartsSince(TimePoint since) {
  std::vector<TimePoint> starts;
  sqlite::Statement s(*db_, "SELECT at FROM call_starts WHERE at >= ?1 ORDER BY at");
  s.Bind(1, ToUnixMillis(since));
  while (s.Step()) starts.push_back(FromUnixMillis(s.Int(0)));
  return starts;
}

void Queue::RecordCallStart(TimePoint at) {
  sqlite::Statement s(*db_, "INSERT INTO call_starts(at) VALUES(?1)");
  s.Bind(1, ToUnixMillis(at)).Run();
}

void Queue::PruneCallStarts(TimePoint before) {
  sqlite::Statement s(*db_, "DELETE FROM call_starts WHERE at < ?1");
  s.Bind(1, ToUnixMillis(before)).Run();
}

}  // namespace leadsync
