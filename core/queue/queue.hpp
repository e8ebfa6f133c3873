#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/codec/api_answer.hpp"
#include "core/lead.hpp"

namespace leadsync {

namespace sqlite {
class Database;
class Statement;
}  // namespace sqlite

// The queue file cannot be used; the message says what to do.
class QueueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct QueueOptions {
  std::filesystem::path path;
  bool sync_full = true;  // PRAGMA synchronous=FULL, else NORMAL
  bool read_only = false;
  bool journal = true;  // keep the delivery journal (queue.history > 0)
  // The daemon owns the queue: at open it returns records a dead process left
  // in flight to pending. CLI commands open it without owning it.
  bool owner = false;
};

// A change a source hands over; `key` comes from LeadKey().
struct IncomingLead {
  std::string key;
  std::string source;
  Lead lead;
};

// A record refused at ingest, kept in the dead-letter store.
struct Rejection {
  std::string source;
  std::string key;       // may be empty
  std::string location;  // "file:line"
  std::string reason;
  std::string record;  // the lead as API pairs, or the raw text
};

struct EnqueueResult {
  std::int64_t inserted = 0;
  std::int64_t coalesced = 0;
  std::int64_t rejected = 0;
};

struct QueuedRecord {
  std::int64_t id = 0;
  std::string key;
  std::string source;
  Lead lead;
  int attempts = 0;
  TimePoint first_seen;
};

// What can be claimed now, for the batcher's linger decision.
struct Readiness {
  std::int64_t ready = 0;                    // claimable records, capped at the asked limit
  std::optional<TimePoint> oldest_ready;     // first_seen of the oldest claimable
  std::optional<TimePoint> next_not_before;  // when a backed-off record becomes claimable
};

struct Delivered {
  std::int64_t id = 0;
  RowResult row;
};
struct RetryLater {
  std::int64_t id = 0;
  TimePoint not_before;
};
struct DeadLetter {
  std::int64_t id = 0;
  std::string reason;
  std::optional<int> status;
  std::string exception_type;
  std::string message;
};

// The end of one request for the records it carried; applied atomically.
struct Settlement {
  TimePoint at;
  int status = 0;  // HTTP status of the request, for the journal
  std::vector<Delivered> delivered;
  std::vector<RetryLater> retry;  // attempts + 1, back to pending
  std::vector<DeadLetter> dead;
  std::vector<std::int64_t> released;  // back to pending untouched (shutdown)
};

struct SourceState {
  std::string checkpoint;
  std::int64_t ingested = 0;
};

struct QueueStats {
  std::int64_t pending = 0;
  std::int64_t in_flight = 0;
  std::int64_t dead_letter = 0;
  std::optional<TimePoint> oldest;
  std::map<std::string, SourceState> sources;
};

struct DeadLetterEntry {
  std::int64_t id = 0;
  std::string key;
  std::string source;
  std::string reason;
  std::optional<int> status;
  std::string exception_type;
  std::string message;
  int attempts = 0;
  TimePoint first_seen;
  TimePoint dead_lettered_at;
  std::string record;
};

struct HistoryEntry {
  TimePoint at;
  int status = 0;
  std::string lead_id;
  bool created = false;
  bool updated = false;
  std::string attributes;  // the pairs sent, JSON
};

// The persistent queue: one SQLite file in WAL mode holding pending and
// in-flight records, dead letters, source checkpoints, call start times and
// the delivery journal. While a record waits, newer changes to its key merge
// into it; a key in flight is never claimed again until its request settles.
//
// Blocking (fsync): the daemon gives it one owner thread, never the network
// loop. Not thread-safe. Other processes may open the same file (WAL).
class Queue final {
 public:
  explicit Queue(const QueueOptions& options);
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  // One transaction: leads, rejections and the source's checkpoint commit together.
  EnqueueResult Enqueue(std::span<const IncomingLead> leads, std::span<const Rejection> rejections,
                        const std::optional<std::pair<std::string, std::string>>& checkpoint, TimePoint now);
  [[nodiscard]] std::optional<std::string> Checkpoint(const std::string& source);

  [[nodiscard]] Readiness CheckReady(int limit, TimePoint now);
  // Marks up to `limit` records in flight (oldest first, one per key) and
  // records the call start, in one transaction.
  [[nodiscard]] std::vector<QueuedRecord> Claim(int limit, TimePoint now);
  void Settle(const Settlement& settlement);

  // Call start times since `since`, for the rate limiter after a restart.
  [[nodiscard]] std::vector<TimePoint> CallStartsSince(TimePoint since);
  void PruneCallStarts(TimePoint before);
  // A call that did not come from Claim (a half of a split batch).
  void RecordCallStart(TimePoint at);

  [[nodiscard]] std::int64_t Backlog() const { return pending_ + in_flight_; }
  // Recounts from the file: other processes may have changed it.
  void Refresh() { Recount(); }
  [[nodiscard]] std::int64_t DeadLetterCount() const { return dead_letter_; }
  [[nodiscard]] std::optional<TimePoint> OldestPending();
  [[nodiscard]] QueueStats Stats();

  [[nodiscard]] std::vector<DeadLetterEntry> DeadLetters();
  // Empty `ids` means all. Returns how many records were affected.
  std::int64_t ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now);
  std::int64_t PurgeDeadLetters(const std::vector<std::int64_t>& ids);

  [[nodiscard]] std::vector<HistoryEntry> History(const std::string& key);
  void PruneHistory(TimePoint before);

  // SQLite's full integrity check; empty when the file is sound.
  [[nodiscard]] std::vector<std::string> IntegrityCheck();

 private:
  void CreateSchema();
  void RecoverInFlight();
  void Recount();
  // Prepared once per Enqueue call: one lookup and one write per record.
  struct UpsertStatements;
  void Upsert(UpsertStatements& statements, const IncomingLead& lead, TimePoint now, EnqueueResult& result);
  void UpsertAll(std::span<const IncomingLead> leads, TimePoint now, EnqueueResult& result);
  void Reject(const Rejection& rejection, TimePoint now);
  void ReturnToPending(std::int64_t id, std::optional<TimePoint> not_before, bool count_attempt);
  void Deliver(const Delivered& delivered, const Settlement& settlement);
  void Bury(const DeadLetter& dead, TimePoint at);
  void Journal(const std::string& key, const std::string& lead, const Settlement& s, const RowResult* row);

  std::unique_ptr<sqlite::Database> db_;
  std::int64_t pending_ = 0;
  std::int64_t in_flight_ = 0;
  std::int64_t dead_letter_ = 0;
  bool journal_ = true;
};

}  // namespace leadsync
