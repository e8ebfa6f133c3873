#pragma once

#include <memory>
#include <optional>
#include <utility>

#include "core/queue/checkpoint_store.hpp"
#include "core/queue/claim_order.hpp"
#include "core/queue/dead_letter_store.hpp"
#include "core/queue/history_journal.hpp"
#include "core/queue/queue.hpp"
#include "core/queue/queue_lock.hpp"
#include "core/queue/record_store.hpp"

namespace leadsync {

// The call-start ledger's statements, here so that tests can check their
// plans: with ten thousand starts kept for a daily cap, each reads the
// call_starts_at index, never the whole table.
struct CallStartQueries {
  static constexpr const char* kSince = "SELECT at FROM call_starts WHERE at >= ?1 ORDER BY at";
  static constexpr const char* kAdd = "INSERT INTO call_starts(at) VALUES(?1)";
  static constexpr const char* kPrune = "DELETE FROM call_starts WHERE at < ?1";
};

// The queue in one SQLite file in WAL mode (schema.hpp has its tables),
// implementing every role of Queue. Each method is one transaction over the
// record, dead-letter, checkpoint and journal stores. Other processes may
// open the same file: WAL lets the CLI read and write while the daemon runs,
// and Refresh() picks up their changes. Time comes from the callers.
// Opened as the owner (the daemon), it holds the QueueLock from before the
// file is opened until after it is closed.
//
// The methods are defined by role: ingest and opening in sqlite_queue.cpp,
// dispatch in sqlite_queue_dispatch.cpp, dead letters, history and inspection in
// sqlite_queue_inspection.cpp; the transaction they share in sqlite_queue_work.hpp.
class SqliteQueue final : public Queue {
 public:
  explicit SqliteQueue(const QueueOptions& options);
  ~SqliteQueue() override;

  // IngestQueue
  EnqueueResult Enqueue(std::span<const IncomingLead> leads, std::span<const Rejection> rejections,
                        const std::optional<CheckpointUpdate>& checkpoint, TimePoint now) override;
  [[nodiscard]] Checkpoint ReadCheckpoint(const std::string& source) override;
  void ResetCheckpoint(const std::string& source, const std::optional<std::string>& value) override;
  [[nodiscard]] std::int64_t Backlog() const override;

  // DispatchQueue
  using DispatchQueue::Claim;
  [[nodiscard]] Readiness ReadReadiness(int limit, TimePoint now) override;
  [[nodiscard]] std::vector<QueuedRecord> Claim(const ClaimLimit& limit, TimePoint now,
                                                const WithClaim& with_claim) override;
  void ApplySettlement(const Settlement& settlement) override;
  std::int64_t ReturnInFlight(TimePoint now) override;
  [[nodiscard]] std::int64_t TakeUnreadableCount() override { return std::exchange(unreadable_, 0); }
  [[nodiscard]] std::vector<TimePoint> CallStartsSince(TimePoint since) override;
  void AddCallStart(TimePoint at) override;
  void PruneCallStarts(TimePoint before) override;
  [[nodiscard]] std::vector<LearnedLimit> LearnedLimits() override;
  void ReplaceLearnedLimits(std::span<const LearnedLimit> limits) override;

  // SchemaStore
  [[nodiscard]] std::optional<StoredLeadSchema> LoadLeadSchema() override;
  void StoreLeadSchema(const StoredLeadSchema& schema) override;

  // DeadLetterQueue
  [[nodiscard]] std::vector<DeadLetterEntry> DeadLetters() override;
  std::int64_t ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now) override;
  std::int64_t PurgeDeadLetters(const std::vector<std::int64_t>& ids) override;
  std::int64_t PruneDeadLetters(TimePoint before) override;
  [[nodiscard]] std::int64_t DeadLetterCount() const override { return dead_letters_; }

  // HistoryQueue
  [[nodiscard]] std::vector<HistoryEntry> History(const std::string& key) override;
  std::int64_t PruneHistory(TimePoint before) override;

  // QueueInspection
  void Refresh() override;
  [[nodiscard]] std::optional<TimePoint> OldestPending() override;
  [[nodiscard]] PriorityBacklogs BacklogByPriority() override;
  [[nodiscard]] std::optional<TimePoint> OldestPendingOf(const std::string& source) override;
  [[nodiscard]] QueueStats Stats() override;
  [[nodiscard]] std::vector<std::string> IntegrityCheck() override;

 private:
  class Work;  // one transaction and the counts it changes (sqlite_queue_work.hpp)

  void RemoveDelivered(Work& work, const Delivered& delivered, const Settlement& settlement);
  void MoveToDeadLetters(Work& work, const DeadLetter& dead, const Settlement& settlement);
  void Journal(const StoredRecord& row, const Settlement& settlement, const RowResult* row_result,
               const std::string& message);

  QueueOptions options_;
  std::optional<QueueLock> lock_;  // the owner's only; outlives db_
  std::unique_ptr<sqlite::Database> db_;
  RecordStore records_;
  DeadLetterStore dead_;
  HistoryJournal history_;
  CheckpointStore checkpoints_;
  ClaimOrder claim_order_;  // the starvation guard: counts this object's claims
  std::array<std::int64_t, 4> records_by_state_{};
  std::array<std::int64_t, 3> records_by_priority_{};
  std::int64_t dead_letters_ = 0;
  std::int64_t unreadable_ = 0;  // moved to the dead-letter store, not yet taken
};

}  // namespace leadsync
