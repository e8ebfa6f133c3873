#include "core/queue/history_journal.hpp"

#include "core/queue/sqlite.hpp"

namespace leadsync {

void HistoryJournal::Append(const StoredRecord& row, const HistoryEntry& e) {
  sqlite::Statement& s = db_.Prepare(
      "INSERT INTO history(key, at, status, lead_id, created, updated, attributes, message) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  s.Bind(1, row.key).Bind(2, ToUnixMillis(e.at)).Bind(3, std::int64_t{e.status}).Bind(4, e.lead_id);
  s.Bind(5, std::int64_t{e.created}).Bind(6, std::int64_t{e.updated}).Bind(7, row.record).Bind(8, e.message);
  s.Run();
}

std::vector<HistoryEntry> HistoryJournal::ForKey(const std::string& key) {
  sqlite::Statement& s = db_.Prepare(
      "SELECT at, status, lead_id, created, updated, attributes, message FROM history WHERE key = ?1 "
      "ORDER BY at DESC, rowid DESC");
  s.Bind(1, key);
  std::vector<HistoryEntry> out;
  while (s.Step()) {
    out.push_back({FromUnixMillis(s.Int(0)), static_cast<int>(s.Int(1)), s.Text(2), s.Int(3) != 0,
                   s.Int(4) != 0, s.Text(5), s.Text(6)});
  }
  return out;
}

std::int64_t HistoryJournal::Prune(TimePoint before) {
  sqlite::Statement& s = db_.Prepare("DELETE FROM history WHERE at < ?1");
  s.Bind(1, ToUnixMillis(before)).Run();
  return db_.Changes();
}

}  // namespace leadsync
