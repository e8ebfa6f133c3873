// SqliteQueue's DeadLetterQueue, HistoryQueue and QueueInspection roles
// (sqlite_queue.hpp).
#include "core/codec/api_body.hpp"
#include "core/queue/sqlite.hpp"
#include "core/queue/sqlite_queue.hpp"
#include "core/queue/sqlite_queue_work.hpp"

namespace leadsync {

void SqliteQueue::Refresh() {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare("SELECT name, value FROM counts");
  records_by_state_ = {};
  records_by_priority_ = {};
  dead_letters_ = 0;
  while (s.Step()) {
    const std::string_view name = s.View(0);
    if (name == "dead_letters") {
      dead_letters_ = s.Int(1);
    } else if (name.starts_with("state") && name.size() == 6 && name[5] >= '0' && name[5] <= '3') {
      records_by_state_[static_cast<std::size_t>(name[5] - '0')] = s.Int(1);
    } else if (name.starts_with("priority") && name.size() == 9 && name[8] >= '0' && name[8] <= '2') {
      records_by_priority_[static_cast<std::size_t>(name[8] - '0')] = s.Int(1);
    }
  }
}

PriorityBacklogs SqliteQueue::BacklogByPriority() {
  sqlite::StatementScope scope(*db_);
  PriorityBacklogs backlogs{};
  for (Priority priority : kPriorities) {
    const auto index = static_cast<std::size_t>(PriorityValue(priority));
    backlogs[index] = {records_by_priority_[index], records_.OldestOf(priority)};
  }
  return backlogs;
}

std::optional<TimePoint> SqliteQueue::OldestPendingOf(const std::string& source) {
  sqlite::StatementScope scope(*db_);
  return records_.OldestOf(source);
}

std::optional<TimePoint> SqliteQueue::OldestPending() {
  sqlite::StatementScope scope(*db_);
  return records_.Oldest();
}

QueueStats SqliteQueue::Stats() {
  Refresh();
  QueueStats stats{PendingOf(records_by_state_),
                   records_by_state_[static_cast<std::size_t>(RecordState::kInFlight)],
                   dead_letters_,
                   std::nullopt,
                   {},
                   BacklogByPriority()};
  sqlite::StatementScope scope(*db_);
  stats.oldest = records_.Oldest();
  stats.sources = checkpoints_.All();
  return stats;
}

std::vector<DeadLetterEntry> SqliteQueue::DeadLetters() {
  sqlite::StatementScope scope(*db_);
  return dead_.List({});
}

// Replayed records start over with a fresh attempt count, at the priority
// they had. A record refused
// at ingest without a key (all but a schema refusal) or one that does not
// decode cannot be replayed and stays.
std::int64_t SqliteQueue::ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now) {
  Work work(*this);
  std::vector<std::int64_t> replayed;
  for (const DeadLetterEntry& entry : dead_.List(ids)) {
    if (entry.key.empty() || !IsStoredRecord(entry.record)) continue;
    const StoredRecord older{0, entry.key, entry.source,  entry.record, RecordState::kReady,
                             0, now,       entry.priority};
    records_.PutOlder(older, now, work.counts, work.unreadable);
    replayed.push_back(entry.id);
  }
  if (!replayed.empty()) work.counts.dead_letters -= dead_.Remove(replayed);
  work.Commit(now);
  return static_cast<std::int64_t>(replayed.size());
}

std::int64_t SqliteQueue::PurgeDeadLetters(const std::vector<std::int64_t>& ids) {
  Work work(*this);
  const std::int64_t purged = dead_.Remove(ids);
  work.counts.dead_letters -= purged;
  work.Commit(TimePoint{});
  return purged;
}

std::int64_t SqliteQueue::PruneDeadLetters(TimePoint before) {
  Work work(*this);
  const std::int64_t pruned = dead_.RemoveBefore(before);
  work.counts.dead_letters -= pruned;
  work.Commit(TimePoint{});
  return pruned;
}

std::vector<HistoryEntry> SqliteQueue::History(const std::string& key) {
  sqlite::StatementScope scope(*db_);
  return history_.ForKey(key);
}

std::int64_t SqliteQueue::PruneHistory(TimePoint before) {
  sqlite::StatementScope scope(*db_);
  return history_.Prune(before);
}

std::vector<std::string> SqliteQueue::IntegrityCheck() {
  std::vector<std::string> problems;
  sqlite::StatementScope scope(*db_);
  try {
    sqlite::Statement& s = db_->Prepare("PRAGMA integrity_check");
    while (s.Step()) {
      if (s.View(0) != "ok") problems.push_back(s.Text(0));
    }
    sqlite::Statement& counted = db_->Prepare(
        "SELECT c.name, c.value, (SELECT COUNT(*) FROM records WHERE 'state' || state = c.name) "
        "FROM counts c WHERE c.name LIKE 'state%' UNION ALL "
        "SELECT c.name, c.value, (SELECT COUNT(*) FROM records WHERE 'priority' || priority = c.name) "
        "FROM counts c WHERE c.name LIKE 'priority%'");
    while (counted.Step()) {
      if (counted.Int(1) != counted.Int(2)) {
        problems.push_back("counts: " + counted.Text(0) + " says " + std::to_string(counted.Int(1)) +
                           ", the records table holds " + std::to_string(counted.Int(2)));
      }
    }
  } catch (const sqlite::Error& e) {
    problems.emplace_back(e.what());
  }
  return problems;
}

}  // namespace leadsync
