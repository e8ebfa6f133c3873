#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/inspection.hpp"
#include "core/queue/records.hpp"
#include "core/queue/settlement.hpp"

namespace leadsync {

// The queue cannot be used; the message says what to do. `reason` is a
// label for QueueFailureReason() (core/queue/queue_failure.hpp).
class QueueError : public std::runtime_error {
 public:
  explicit QueueError(const std::string& what, std::string reason = "other")
      : std::runtime_error(what), reason_(std::move(reason)) {}
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

// The persistent queue: pending and in-flight records, dead letters, source
// checkpoints, call start times and the delivery journal.
//
// While a record waits, newer changes to its key merge into it (later value
// wins per attribute); a key in flight is never handed out again until its
// request is settled, so one lead's changes reach the API in order. Records
// come out oldest first, at most one per key in a claim.
//
// Every method is one transaction. Implementations block (disk, network):
// the daemon gives the queue one owner thread (QueueService), never the
// network loop. Not thread-safe. SqliteQueue is the one implementation; the
// interface is what a shared backend would implement.
class Queue {
 public:
  virtual ~Queue() = default;

  // Ingest: leads, rejections and the source's checkpoint commit together.
  virtual EnqueueResult Enqueue(std::span<const IncomingLead> leads, std::span<const Rejection> rejections,
                                const std::optional<CheckpointUpdate>& checkpoint, TimePoint now) = 0;
  // The stored position (value nullopt and epoch 0 for a source never committed).
  [[nodiscard]] virtual Checkpoint ReadCheckpoint(const std::string& source) = 0;
  // Moves a source's checkpoint on purpose (nullopt: back to the source's
  // start) and bumps its epoch, so a source reading under the old one
  // cannot commit over it.
  virtual void ResetCheckpoint(const std::string& source, const std::optional<std::string>& value) = 0;

  // Dispatch.
  [[nodiscard]] virtual Readiness CheckReady(int limit, TimePoint now) = 0;
  // Marks up to `limit` records in flight (oldest first, one per key) and
  // records the call start. Rows that no longer decode are moved to the
  // dead-letter store (reason "unreadable") instead of being handed out.
  [[nodiscard]] virtual std::vector<QueuedRecord> Claim(int limit, TimePoint now) = 0;
  virtual void ApplySettlement(const Settlement& settlement) = 0;
  // How many rows were moved to the dead-letter store as unreadable since the
  // last call (for leadsync_records_dead_lettered_total{reason="unreadable"}).
  [[nodiscard]] virtual std::int64_t TakeUnreadableCount() = 0;
  // Every record in flight back to pending, untouched (the dispatcher
  // restarts, or a previous process died with them on the wire). Returns how many.
  virtual std::int64_t ReleaseInFlight() = 0;

  // Call start times, so the rate limit holds across restarts.
  [[nodiscard]] virtual std::vector<TimePoint> CallStartsSince(TimePoint since) = 0;
  virtual void RecordCallStart(TimePoint at) = 0;
  virtual void PruneCallStarts(TimePoint before) = 0;

  // Counts kept as records move; Refresh() re-reads them (other processes
  // may have changed the queue).
  [[nodiscard]] virtual std::int64_t Backlog() const = 0;
  [[nodiscard]] virtual std::int64_t DeadLetterCount() const = 0;
  virtual void Refresh() = 0;
  [[nodiscard]] virtual std::optional<TimePoint> OldestPending() = 0;
  [[nodiscard]] virtual QueueStats Stats() = 0;

  // Dead letters. Empty `ids` means all; each returns how many were affected.
  [[nodiscard]] virtual std::vector<DeadLetterEntry> DeadLetters() = 0;
  // A replayed record is the older change: a newer pending or in-flight
  // change to its key wins attribute by attribute.
  virtual std::int64_t ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now) = 0;
  virtual std::int64_t PurgeDeadLetters(const std::vector<std::int64_t>& ids) = 0;

  // The delivery journal, newest first.
  [[nodiscard]] virtual std::vector<HistoryEntry> History(const std::string& key) = 0;
  virtual void PruneHistory(TimePoint before) = 0;

  // A full integrity check; empty when sound.
  [[nodiscard]] virtual std::vector<std::string> IntegrityCheck() = 0;
};

struct QueueOptions {
  std::filesystem::path path;
  bool sync_full = true;  // durable against power loss, else against a crash
  bool read_only = false;
  bool journal = true;  // keep the delivery journal (queue.history > 0)
  // The daemon owns the queue: at open it takes the queue's lock (QueueLock;
  // a second owner gets QueueError "queue PATH in use by PID N" before a row
  // is read), then returns records a dead owner left in flight to pending.
  // CLI commands open it without owning it, beside the daemon.
  bool owner = false;
  // A queue that lives in memory and goes away with the object (`path` is
  // ignored): for planning batches without touching the queue file.
  bool in_memory = false;
};

// Opens (creating when needed) the queue at options.path. Throws QueueError
// with what to do when the file is damaged, foreign or too new.
[[nodiscard]] std::unique_ptr<Queue> OpenQueue(const QueueOptions& options);

}  // namespace leadsync
