#include "core/codec/api_body.hpp"
#include "core/queue/queue.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

std::string IdFilter(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "";
  std::string in = " WHERE id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) in += (i ? "," : "") + std::to_string(ids[i]);
  return in + ")";
}

}  // namespace

std::vector<DeadLetterEntry> Queue::DeadLetters() {
  std::vector<DeadLetterEntry> out;
  sqlite::Statement s(
      *db_,
      "SELECT id, key, source, reason, status, exception_type, message, attempts, first_seen, "
      "dead_lettered_at, record FROM dead_letters ORDER BY id");
  while (s.Step()) {
    DeadLetterEntry e{s.Int(0),
                      s.Text(1),
                      s.Text(2),
                      s.Text(3),
                      std::nullopt,
                      s.Text(5),
                      s.Text(6),
                      static_cast<int>(s.Int(7)),
                      FromUnixMillis(s.Int(8)),
                      FromUnixMillis(s.Int(9)),
                      s.Text(10)};
    if (!s.IsNull(4)) e.status = static_cast<int>(s.Int(4));
    out.push_back(std::move(e));
  }
  return out;
}

// Replayed records start over with a fresh attempt count; a record rejected
// at ingest (no key, unreadable) cannot be replayed and stays.
std::int64_t Queue::ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now) {
  sqlite::Transaction tx(*db_);
  std::vector<std::int64_t> replayed;
  std::vector<IncomingLead> leads;
  sqlite::Statement s(*db_,
                      "SELECT id, key, source, record FROM dead_letters" + IdFilter(ids) + " ORDER BY id");
  while (s.Step()) {
    auto lead = DecodeRecord(s.Text(3));
    if (s.Text(1).empty() || !lead) continue;
    replayed.push_back(s.Int(0));
    leads.push_back({s.Text(1), s.Text(2), *std::move(lead)});
  }
  EnqueueResult result;
  UpsertAll(leads, now, result);
  if (!replayed.empty()) db_->Exec("DELETE FROM dead_letters" + IdFilter(replayed));
  tx.Commit();
  pending_ += result.inserted;
  dead_letter_ -= static_cast<std::int64_t>(replayed.size());
  return static_cast<std::int64_t>(replayed.size());
}

std::int64_t Queue::PurgeDeadLetters(const std::vector<std::int64_t>& ids) {
  db_->Exec("DELETE FROM dead_letters" + IdFilter(ids));
  const std::int64_t n = db_->Changes();
  dead_letter_ -= n;
  return n;
}

std::vector<HistoryEntry> Queue::History(const std::string& key) {
  std::vector<HistoryEntry> out;
  sqlite::Statement s(*db_,
                      "SELECT at, status, lead_id, created, updated, attributes FROM history WHERE key = ?1 "
                      "ORDER BY at DESC, rowid DESC");
  s.Bind(1, key);
  while (s.Step()) {
    out.push_back({FromUnixMillis(s.Int(0)), static_cast<int>(s.Int(1)), s.Text(2), s.Int(3) != 0,
                   s.Int(4) != 0, s.Text(5)});
  }
  return out;
}

void Queue::PruneHistory(TimePoint before) {
  sqlite::Statement s(*db_, "DELETE FROM history WHERE at < ?1");
  s.Bind(1, ToUnixMillis(before)).Run();
}

}  // namespace leadsync
