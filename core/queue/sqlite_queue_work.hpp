#pragma once

// Private to the SqliteQueue sources: the transaction every writing method
// runs in, and the pending count its counts give.
#include <spdlog/spdlog.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/queue/sqlite.hpp"
#include "core/queue/sqlite_queue.hpp"

namespace leadsync {

// Records pending: ready, waiting or held.
inline std::int64_t PendingOf(const std::array<std::int64_t, 4>& by_state) {
  return by_state[static_cast<std::size_t>(RecordState::kReady)] +
         by_state[static_cast<std::size_t>(RecordState::kWaiting)] +
         by_state[static_cast<std::size_t>(RecordState::kHeld)];
}

// One write transaction: statements reset at the end, count changes written
// with the commit and applied to the in-memory counts once it has succeeded.
class SqliteQueue::Work final {
 public:
  explicit Work(SqliteQueue& queue) : queue_(queue), scope_(*queue.db_), tx_(*queue.db_) {}

  void Commit(TimePoint at) {
    for (const StoredRecord& row : unreadable) {
      spdlog::warn("queue row {} (key {}) no longer decodes; moved to the dead-letter store as unreadable",
                   row.id, row.key);
      queue_.dead_.AddUnreadable(row, at);
      ++counts.dead_letters;
    }
    sqlite::Statement& s = queue_.db_->Prepare("UPDATE counts SET value = value + ?2 WHERE name = ?1");
    for (std::size_t state = 0; state < counts.records.size(); ++state) {
      if (counts.records[state] != 0)
        s.Bind(1, "state" + std::to_string(state)).Bind(2, counts.records[state]).Run();
    }
    for (std::size_t priority = 0; priority < counts.priorities.size(); ++priority) {
      if (counts.priorities[priority] != 0)
        s.Bind(1, "priority" + std::to_string(priority)).Bind(2, counts.priorities[priority]).Run();
    }
    if (counts.dead_letters != 0) s.Bind(1, "dead_letters").Bind(2, counts.dead_letters).Run();
    tx_.Commit();
    for (std::size_t state = 0; state < counts.records.size(); ++state) {
      queue_.records_by_state_[state] += counts.records[state];
    }
    for (std::size_t priority = 0; priority < counts.priorities.size(); ++priority) {
      queue_.records_by_priority_[priority] += counts.priorities[priority];
    }
    queue_.dead_letters_ += counts.dead_letters;
    queue_.unreadable_ += static_cast<std::int64_t>(unreadable.size());
  }

  CountChanges counts;
  std::vector<StoredRecord> unreadable;

 private:
  SqliteQueue& queue_;
  sqlite::StatementScope scope_;
  sqlite::Transaction tx_;
};

}  // namespace leadsync
