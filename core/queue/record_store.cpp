#include "core/queue/record_store.hpp"

#include <algorithm>

#include "core/codec/api_body.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

constexpr const char* kColumns =
    "SELECT id, key, source, lead, state, attempts, first_seen, priority FROM records ";
using Q = RecordQueries;

StoredRecord ReadRow(const sqlite::Statement& s) {
  return {s.Int(0),
          s.Text(1),
          s.Text(2),
          s.Text(3),
          static_cast<RecordState>(s.Int(4)),
          static_cast<int>(s.Int(5)),
          FromUnixMillis(s.Int(6)),
          PriorityFromValue(s.Int(7))};
}

std::int64_t StateValue(RecordState state) { return static_cast<std::int64_t>(state); }

const StoredRecord* Find(const std::vector<StoredRecord>& rows, bool in_flight) {
  for (const StoredRecord& row : rows) {
    if ((row.state == RecordState::kInFlight) == in_flight) return &row;
  }
  return nullptr;
}

// Adds a (count, oldest first_seen) row to `readiness`.
void AddCount(sqlite::Statement& s, Readiness& readiness) {
  if (!s.Step()) return;
  readiness.ready += s.Int(0);
  if (s.IsNull(1)) return;
  const TimePoint first_seen = FromUnixMillis(s.Int(1));
  readiness.oldest_ready = std::min(readiness.oldest_ready.value_or(first_seen), first_seen);
}

}  // namespace

std::vector<StoredRecord> RecordStore::ForKey(const std::string& key) {
  sqlite::Statement& s = db_.Prepare(Q::kByKey);
  s.BindView(1, key);
  std::vector<StoredRecord> rows;
  while (s.Step()) rows.push_back(ReadRow(s));
  return rows;
}

RecordStore::Upserted RecordStore::Upsert(const IncomingLead& lead, TimePoint now, CountChanges& counts,
                                          std::vector<StoredRecord>& unreadable) {
  const std::vector<StoredRecord> rows = ForKey(lead.key);
  if (const StoredRecord* waiting = Find(rows, false)) {
    if (auto merged = MergeRecord(waiting->record, lead.lead)) {
      Rewrite(*waiting, *merged, lead.priority, counts);
      return Upserted::kCoalesced;
    }
    unreadable.push_back(*waiting);
    Delete(*waiting, counts);
  }
  StoredRecord row{0, lead.key, lead.source,  EncodeRecord(lead.lead), RecordState::kReady,
                   0, now,      lead.priority};
  if (Find(rows, true) != nullptr) row.state = RecordState::kHeld;
  Insert(row, counts);
  return Upserted::kInserted;
}

void RecordStore::PutOlder(const StoredRecord& older, TimePoint now, CountChanges& counts,
                           std::vector<StoredRecord>& unreadable) {
  const std::vector<StoredRecord> rows = ForKey(older.key);
  StoredRecord row{0, older.key, older.source, older.record, RecordState::kReady, 0, now, older.priority};
  const StoredRecord* in_flight = Find(rows, true);
  if (in_flight != nullptr) row.record = MergeRecords(row.record, in_flight->record).value_or(row.record);
  if (const StoredRecord* waiting = Find(rows, false)) {
    if (auto merged = MergeRecords(row.record, waiting->record)) {
      Rewrite(*waiting, *merged, row.priority, counts);
      return;
    }
    unreadable.push_back(*waiting);
    Delete(*waiting, counts);
  }
  if (in_flight != nullptr) row.state = RecordState::kHeld;
  Insert(row, counts);
}

void RecordStore::Insert(const StoredRecord& row, CountChanges& counts) {
  sqlite::Statement& insert = db_.Prepare(
      "INSERT INTO records(key, source, lead, state, first_seen, priority) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  insert.BindView(1, row.key).BindView(2, row.source).BindView(3, row.record).Bind(4, StateValue(row.state));
  insert.Bind(5, ToUnixMillis(row.first_seen)).Bind(6, PriorityValue(row.priority)).Run();
  counts.Add(row.state);
  counts.AddPriority(row.priority, 1);
}

void RecordStore::WakeDue(TimePoint now, CountChanges& counts) {
  sqlite::Statement& wake = db_.Prepare(Q::kWakeDue);
  wake.Bind(1, ToUnixMillis(now)).Run();
  const int woken = db_.Changes();
  counts.Add(RecordState::kWaiting, -woken);
  counts.Add(RecordState::kReady, woken);
}

std::vector<StoredRecord> RecordStore::WakeAndReadReady(int limit, const std::array<Priority, 3>& order,
                                                        TimePoint now, CountChanges& counts) {
  WakeDue(now, counts);
  std::vector<StoredRecord> rows;
  for (Priority priority : order) {
    const auto wanted = static_cast<std::int64_t>(limit) - static_cast<std::int64_t>(rows.size());
    if (wanted <= 0) break;
    sqlite::Statement& s = db_.Prepare(Q::kReady);
    s.Bind(1, wanted).Bind(2, PriorityValue(priority));
    while (s.Step()) rows.push_back(ReadRow(s));
    s.Reset();
  }
  return rows;
}

void RecordStore::SetState(std::int64_t id, RecordState from, RecordState to, CountChanges& counts) {
  sqlite::Statement& s = db_.Prepare("UPDATE records SET state = ?2 WHERE id = ?1");
  s.Bind(1, id).Bind(2, StateValue(to)).Run();
  counts.Move(from, to);
}

void RecordStore::MarkInFlight(std::int64_t id, CountChanges& counts) {
  SetState(id, RecordState::kReady, RecordState::kInFlight, counts);
}

std::optional<StoredRecord> RecordStore::FindInFlight(std::int64_t id) {
  sqlite::Statement& s = db_.Prepare(std::string(kColumns) + "WHERE id = ?1 AND state = 1");
  if (!s.Bind(1, id).Step()) return std::nullopt;
  return ReadRow(s);
}

std::vector<std::int64_t> RecordStore::InFlightIds() {
  sqlite::Statement& s = db_.Prepare(Q::kInFlight);
  std::vector<std::int64_t> ids;
  while (s.Step()) ids.push_back(s.Int(0));
  return ids;
}

void RecordStore::Rewrite(const StoredRecord& row, const std::string& record, Priority priority,
                          CountChanges& counts) {
  const Priority raised = std::max(row.priority, priority);
  sqlite::Statement& s = db_.Prepare("UPDATE records SET lead = ?2, priority = ?3 WHERE id = ?1");
  s.Bind(1, row.id).Bind(2, record).Bind(3, PriorityValue(raised)).Run();
  counts.AddPriority(row.priority, -1);
  counts.AddPriority(raised, 1);
}

void RecordStore::Delete(const StoredRecord& row, CountChanges& counts) {
  sqlite::Statement& s = db_.Prepare("DELETE FROM records WHERE id = ?1");
  s.Bind(1, row.id).Run();
  counts.Add(row.state, -1);
  counts.AddPriority(row.priority, -1);
}

void RecordStore::Remove(const StoredRecord& row, CountChanges& counts) {
  Delete(row, counts);
  sqlite::Statement& held = db_.Prepare(Q::kHeld);
  if (!held.Bind(1, row.key).Step()) return;
  const std::int64_t id = held.Int(0);
  held.Reset();
  SetState(id, RecordState::kHeld, RecordState::kReady, counts);
}

void RecordStore::Return(const StoredRecord& row, std::optional<TimePoint> not_before, bool count_attempt,
                         CountChanges& counts, std::vector<StoredRecord>& unreadable) {
  std::string record = row.record;
  Priority priority = row.priority;
  for (const StoredRecord& other : ForKey(row.key)) {
    if (other.state != RecordState::kHeld) continue;
    if (auto merged = MergeRecords(record, other.record)) {
      record = std::move(*merged);
      priority = std::max(priority, other.priority);
    } else {
      unreadable.push_back(other);
    }
    Delete(other, counts);
  }
  const RecordState state = not_before ? RecordState::kWaiting : RecordState::kReady;
  sqlite::Statement& s = db_.Prepare(
      "UPDATE records SET state = ?2, lead = ?3, attempts = attempts + ?4, not_before = ?5, priority = ?6 "
      "WHERE id = ?1");
  s.Bind(1, row.id).Bind(2, StateValue(state)).Bind(3, record).Bind(4, std::int64_t{count_attempt});
  s.Bind(5, not_before ? ToUnixMillis(*not_before) : std::int64_t{0}).Bind(6, PriorityValue(priority)).Run();
  counts.Move(row.state, state);
  counts.AddPriority(row.priority, -1);
  counts.AddPriority(priority, 1);
}

// Due waiting rows count as ready: a claim wakes them before it reads.
Readiness RecordStore::ReadReadiness(int limit, TimePoint now) {
  Readiness readiness;
  AddCount(db_.Prepare(Q::kReadyCount).Bind(1, std::int64_t{limit}), readiness);
  AddCount(db_.Prepare(Q::kDueCount).Bind(1, std::int64_t{limit}).Bind(2, ToUnixMillis(now)), readiness);
  readiness.ready = std::min(readiness.ready, std::int64_t{limit});
  sqlite::Statement& later = db_.Prepare(Q::kNextWaiting);
  if (later.Bind(1, ToUnixMillis(now)).Step() && !later.IsNull(0))
    readiness.next_not_before = FromUnixMillis(later.Int(0));
  return readiness;
}

std::optional<TimePoint> RecordStore::Oldest() {
  // Rows keep their id when they merge or retry, so the lowest id is the
  // oldest record: one row read instead of a scan.
  sqlite::Statement& s = db_.Prepare(Q::kOldest);
  if (!s.Step()) return std::nullopt;
  return FromUnixMillis(s.Int(0));
}

std::optional<TimePoint> RecordStore::OldestOf(Priority priority) {
  sqlite::Statement& s = db_.Prepare(Q::kOldestOfPriority);
  if (!s.Bind(1, PriorityValue(priority)).Step()) return std::nullopt;
  return FromUnixMillis(s.Int(0));
}

std::optional<TimePoint> RecordStore::OldestOf(const std::string& source) {
  sqlite::Statement& s = db_.Prepare(Q::kOldestOfSource);
  if (!s.BindView(1, source).Step()) return std::nullopt;
  return FromUnixMillis(s.Int(0));
}

}  // namespace leadsync
