#pragma once

#include <filesystem>
#include <memory>

#include "core/clock.hpp"
#include "core/queue/dead_letter_queue.hpp"
#include "core/queue/dispatch_queue.hpp"
#include "core/queue/history_queue.hpp"
#include "core/queue/ingest_queue.hpp"
#include "core/queue/queue_error.hpp"
#include "core/queue/queue_inspection.hpp"
#include "core/queue/schema_store.hpp"

namespace leadsync {

// The persistent queue: pending and in-flight records, dead letters, source
// checkpoints, call starts, the delivery journal and the account's last
// schema, as the roles its users
// need. A part depends on the role it uses (QueueService::Role hands it out);
// a backend implements them all. SqliteQueue is the one backend today;
// tests/core/queue/ holds the tests every backend must pass.
//
// Every method is one transaction. Implementations block (disk, network):
// the daemon gives the queue one owner thread (QueueService), never the
// network loop. Not thread-safe.
class Queue : public IngestQueue,
              public DispatchQueue,
              public DeadLetterQueue,
              public HistoryQueue,
              public QueueInspection,
              public SchemaStore {};

struct QueueOptions {
  std::filesystem::path path;
  bool sync_full = true;  // durable against power loss, else against a crash
  bool read_only = false;
  bool journal = true;  // keep the delivery journal (queue.history > 0)
  // The daemon owns the queue: at open it takes the queue's lock (QueueLock;
  // a second owner gets QueueError "queue PATH in use by PID N" before a row
  // is read), then returns records a dead owner left in flight to pending (at
  // `opened_at`). CLI commands open it without owning it, beside the daemon.
  bool owner = false;
  // A queue that lives in memory and goes away with the object (`path` is
  // ignored): for planning batches without touching the queue file.
  bool in_memory = false;
  TimePoint opened_at{};  // the open's time, for the owner's return of records in flight
};

// Opens (creating when needed) the queue at options.path. Throws QueueError
// with what to do when the file is damaged, foreign or too new.
[[nodiscard]] std::unique_ptr<Queue> OpenQueue(const QueueOptions& options);

}  // namespace leadsync
