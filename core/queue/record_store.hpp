#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/records.hpp"

namespace leadsync {
namespace sqlite {
class Database;
}

enum class RecordState { kReady = 0, kInFlight = 1, kWaiting = 2, kHeld = 3 };

// One row of the records table.
struct StoredRecord {
  std::int64_t id = 0;
  std::string key;
  std::string source;
  std::string record;  // the API pair array
  RecordState state = RecordState::kReady;
  int attempts = 0;
  TimePoint first_seen;
  Priority priority = Priority::kNormal;
};

// Changes to the row counts that one transaction makes.
struct CountChanges {
  std::array<std::int64_t, 4> records{};     // by RecordState
  std::array<std::int64_t, 3> priorities{};  // rows in any state, by PriorityValue
  std::int64_t dead_letters = 0;
  void AddPriority(Priority priority, std::int64_t n) {
    priorities[static_cast<std::size_t>(PriorityValue(priority))] += n;
  }
  void Move(RecordState from, RecordState to) {
    --records[static_cast<std::size_t>(from)];
    ++records[static_cast<std::size_t>(to)];
  }
  void Add(RecordState state, std::int64_t n = 1) { records[static_cast<std::size_t>(state)] += n; }
};

// The statements that run for every batch or record. Their plans read an
// index in the order they need, so their cost does not grow with the
// backlog; tests/core/queue checks the plans and counts the rows they visit.
// kReady reads one priority (?2) oldest first, from the index of ready rows
// alone (the planner would take the index of every row of that priority);
// a claim runs it for each priority in its ClaimOrder. kReadyCount needs no order: when fewer than
// the limit are ready it sees them all, and at the limit the batch is full.
struct RecordQueries {
  static constexpr const char* kByKey =
      "SELECT id, key, source, lead, state, attempts, first_seen, priority FROM records WHERE key = ?1";
  static constexpr const char* kReady =
      "SELECT id, key, source, lead, state, attempts, first_seen, priority FROM records INDEXED BY "
      "records_ready_by_priority WHERE state = 0 AND priority = ?2 ORDER BY id LIMIT ?1";
  static constexpr const char* kReadyCount =
      "SELECT COUNT(*), MIN(first_seen) FROM (SELECT first_seen FROM records INDEXED BY "
      "records_ready_by_priority WHERE state = 0 LIMIT ?1)";
  static constexpr const char* kDueCount =
      "SELECT COUNT(*), MIN(first_seen) FROM (SELECT first_seen FROM records WHERE state = 2 AND not_before "
      "<= "
      "?2 LIMIT ?1)";
  static constexpr const char* kWakeDue = "UPDATE records SET state = 0 WHERE state = 2 AND not_before <= ?1";
  static constexpr const char* kNextWaiting =
      "SELECT MIN(not_before) FROM records WHERE state = 2 AND not_before > ?1";
  static constexpr const char* kOldest = "SELECT first_seen FROM records ORDER BY id LIMIT 1";
  static constexpr const char* kOldestOfPriority =
      "SELECT first_seen FROM records WHERE priority = ?1 ORDER BY id LIMIT 1";
  static constexpr const char* kOldestOfSource =
      "SELECT first_seen FROM records WHERE source = ?1 ORDER BY id LIMIT 1";
  static constexpr const char* kHeld = "SELECT id FROM records WHERE key = ?1 AND state = 3";
  static constexpr const char* kInFlight = "SELECT id FROM records WHERE state = 1 ORDER BY id";
};

// The records table (schema.hpp has the states and their invariants). Every
// method runs inside the caller's transaction and reports what it changed in
// `counts`. A row whose stored record no longer decodes cannot be merged;
// such rows are removed and handed back in `unreadable` for the caller to
// dead-letter. Borrows the database; not thread-safe.
class RecordStore final {
 public:
  explicit RecordStore(sqlite::Database& db) : db_(db) {}

  enum class Upserted { kInserted, kCoalesced };
  // A newer change: merged into the key's waiting row if there is one (which
  // takes the higher of the two priorities), held if the key is in flight,
  // else a new ready row.
  Upserted Upsert(const IncomingLead& lead, TimePoint now, CountChanges& counts,
                  std::vector<StoredRecord>& unreadable);
  // An older change (a replayed dead letter, with its own priority): every
  // newer change to the key, in flight or waiting, wins attribute by
  // attribute; a waiting row takes the higher priority.
  void PutOlder(const StoredRecord& older, TimePoint now, CountChanges& counts,
                std::vector<StoredRecord>& unreadable);

  // Wakes the waiting rows due at `now`, then reads up to `limit` ready ones:
  // each priority in `order` in turn, oldest first within one.
  [[nodiscard]] std::vector<StoredRecord> WakeAndReadReady(int limit, const std::array<Priority, 3>& order,
                                                           TimePoint now, CountChanges& counts);
  void MarkInFlight(std::int64_t id, CountChanges& counts);
  [[nodiscard]] std::optional<StoredRecord> FindInFlight(std::int64_t id);
  [[nodiscard]] std::vector<std::int64_t> InFlightIds();
  // Deletes a settled row; the key's held change becomes ready.
  void Remove(const StoredRecord& row, CountChanges& counts);
  // Back to waiting (not_before set) or ready; the key's held change merges
  // on top of it (the higher priority wins), and the row keeps its place in line.
  void Return(const StoredRecord& row, std::optional<TimePoint> not_before, bool count_attempt,
              CountChanges& counts, std::vector<StoredRecord>& unreadable);

  // Ready rows and waiting rows due at `now`, without moving any.
  [[nodiscard]] Readiness ReadReadiness(int limit, TimePoint now);
  [[nodiscard]] std::optional<TimePoint> Oldest();
  [[nodiscard]] std::optional<TimePoint> OldestOf(Priority priority);
  [[nodiscard]] std::optional<TimePoint> OldestOf(const std::string& source);

 private:
  [[nodiscard]] std::vector<StoredRecord> ForKey(const std::string& key);
  void WakeDue(TimePoint now, CountChanges& counts);
  void SetState(std::int64_t id, RecordState from, RecordState to, CountChanges& counts);
  // New record text; the row's priority rises to `priority` if that is higher.
  void Rewrite(const StoredRecord& row, const std::string& record, Priority priority, CountChanges& counts);
  void Insert(const StoredRecord& row, CountChanges& counts);
  void Delete(const StoredRecord& row, CountChanges& counts);

  sqlite::Database& db_;
};

}  // namespace leadsync
