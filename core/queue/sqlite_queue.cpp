#include "core/queue/sqlite_queue.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/codec/api_body.hpp"
#include "core/queue/file_check.hpp"
#include "core/queue/schema.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

[[noreturn]] void ThrowQueueError(const std::filesystem::path& path, const sqlite::Error& e) {
  const int primary = e.code() & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    throw QueueError(DamagedQueueAdvice(path, e.what()), "damaged");
  }
  throw QueueError("queue file " + path.string() + ": " + e.what());
}

// The queue holds every lead: its directory is 0700 and its file 0600 (the
// -wal and -shm files take the file's mode), whatever the umask.
void CreatePrivateDirectory(const std::filesystem::path& path) {
  if (path.has_parent_path() && !std::filesystem::exists(path.parent_path())) {
    std::filesystem::create_directories(path.parent_path());
    std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all);
  }
}

void CreatePrivately(const std::filesystem::path& path) {
  CreatePrivateDirectory(path);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw QueueError("queue file " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    spdlog::warn("queue file {} is readable by other users (mode {:o}); it holds every lead: chmod 600 it",
                 path.string(), st.st_mode & 0777);
  }
  ::close(fd);
}

// One owner at a time, and the lock before anything else: a second daemon
// must not release the first one's in-flight records, nor read or write a row.
std::optional<QueueLock> LockIfOwner(const QueueOptions& options) {
  if (!options.owner || options.read_only || options.in_memory) return std::nullopt;
  try {
    CreatePrivateDirectory(options.path);
  } catch (const std::filesystem::filesystem_error& e) {
    throw QueueError("queue file " + options.path.string() + ": " + e.code().message());
  }
  return std::optional<QueueLock>(std::in_place, options.path);
}

std::unique_ptr<sqlite::Database> OpenDatabase(const QueueOptions& options) {
  try {
    if (options.in_memory) return std::make_unique<sqlite::Database>(":memory:", false);
    if (!options.read_only) CreatePrivately(options.path);
    return std::make_unique<sqlite::Database>(options.path, options.read_only);
  } catch (const sqlite::Error& e) {
    ThrowQueueError(options.path, e);
  } catch (const std::filesystem::filesystem_error& e) {
    throw QueueError("queue file " + options.path.string() + ": " + e.code().message());
  }
}

std::int64_t Pending(const std::array<std::int64_t, 4>& by_state) {
  return by_state[static_cast<std::size_t>(RecordState::kReady)] +
         by_state[static_cast<std::size_t>(RecordState::kWaiting)] +
         by_state[static_cast<std::size_t>(RecordState::kHeld)];
}

}  // namespace

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
    if (counts.dead_letters != 0) s.Bind(1, "dead_letters").Bind(2, counts.dead_letters).Run();
    tx_.Commit();
    for (std::size_t state = 0; state < counts.records.size(); ++state) {
      queue_.records_by_state_[state] += counts.records[state];
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

std::unique_ptr<Queue> OpenQueue(const QueueOptions& options) {
  return std::make_unique<SqliteQueue>(options);
}

SqliteQueue::SqliteQueue(const QueueOptions& options)
    : options_(options),
      lock_(LockIfOwner(options)),
      db_(OpenDatabase(options)),
      records_(*db_),
      dead_(*db_),
      history_(*db_),
      checkpoints_(*db_) {
  try {
    if (!options.read_only) {
      db_->Exec("PRAGMA journal_mode=WAL");
      db_->Exec(options.sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    }
    PrepareSchema(*db_, options.path, !options.read_only);
    Refresh();
    // A previous owner died with these on the wire (the lock says it is
    // gone): the answer is unknown, so at-least-once means sending them again.
    if (options.owner && !options.read_only) (void)ReleaseInFlight();
  } catch (const sqlite::Error& e) {
    ThrowQueueError(options.path, e);
  }
}

SqliteQueue::~SqliteQueue() = default;

EnqueueResult SqliteQueue::Enqueue(std::span<const IncomingLead> leads, std::span<const Rejection> rejections,
                                   const std::optional<CheckpointUpdate>& checkpoint, TimePoint now) {
  Work work(*this);
  EnqueueResult result;
  if (checkpoint && !checkpoints_.Advance(*checkpoint, static_cast<std::int64_t>(leads.size()))) {
    result.checkpoint_conflict = true;
    return result;
  }
  for (const IncomingLead& lead : leads) {
    const auto upserted = records_.Upsert(lead, now, work.counts, work.unreadable);
    ++(upserted == RecordStore::Upserted::kInserted ? result.inserted : result.coalesced);
  }
  for (const Rejection& rejection : rejections) dead_.AddRejected(rejection, now);
  work.counts.dead_letters += static_cast<std::int64_t>(rejections.size());
  result.rejected = static_cast<std::int64_t>(rejections.size());
  work.Commit(now);
  return result;
}

Checkpoint SqliteQueue::ReadCheckpoint(const std::string& source) {
  sqlite::StatementScope scope(*db_);
  return checkpoints_.Read(source);
}

void SqliteQueue::ResetCheckpoint(const std::string& source, const std::optional<std::string>& value) {
  Work work(*this);
  checkpoints_.Reset(source, value);
  work.Commit(TimePoint{});
}

Readiness SqliteQueue::CheckReady(int limit, TimePoint now) {
  Work work(*this);
  Readiness readiness = records_.CheckReady(limit, now, work.counts);
  work.Commit(now);
  return readiness;
}

std::vector<QueuedRecord> SqliteQueue::Claim(int limit, TimePoint now) {
  Work work(*this);
  std::vector<QueuedRecord> claimed;
  for (StoredRecord& row : records_.TakeReady(limit, now, work.counts)) {
    if (!IsStoredRecord(row.record)) {
      records_.Remove(row, work.counts);
      work.unreadable.push_back(std::move(row));
      continue;
    }
    records_.MarkInFlight(row.id, work.counts);
    claimed.push_back({row.id, std::move(row.key), std::move(row.source), std::move(row.record), row.attempts,
                       row.first_seen});
  }
  if (!claimed.empty()) RecordCallStart(now);
  work.Commit(now);
  return claimed;
}

void SqliteQueue::ApplySettlement(const Settlement& s) {
  Work work(*this);
  for (const Delivered& d : s.delivered) Settle(work, d, s);
  for (const DeadLetter& d : s.dead) Settle(work, d, s);
  for (const RetryLater& r : s.retry) {
    if (auto row = records_.FindInFlight(r.id))
      records_.Return(*row, r.not_before, true, work.counts, work.unreadable);
  }
  for (std::int64_t id : s.released) {
    if (auto row = records_.FindInFlight(id))
      records_.Return(*row, std::nullopt, false, work.counts, work.unreadable);
  }
  work.Commit(s.at);
}

void SqliteQueue::Settle(Work& work, const Delivered& d, const Settlement& s) {
  const std::optional<StoredRecord> row = records_.FindInFlight(d.id);
  if (!row) return;
  Journal(*row, s, &d.row, "");
  records_.Remove(*row, work.counts);
}

void SqliteQueue::Settle(Work& work, const DeadLetter& d, const Settlement& s) {
  const std::optional<StoredRecord> row = records_.FindInFlight(d.id);
  if (!row) return;
  Journal(*row, s, nullptr, d.message);
  dead_.AddRefused(*row, d, s.at);
  ++work.counts.dead_letters;
  records_.Remove(*row, work.counts);
}

void SqliteQueue::Journal(const StoredRecord& row, const Settlement& s, const RowResult* result,
                          const std::string& message) {
  if (!options_.journal) return;
  HistoryEntry entry{s.at, s.status, "", false, false, "", message};
  if (result != nullptr) {
    entry.lead_id = result->lead_id;
    entry.created = result->created;
    entry.updated = result->updated;
  }
  history_.Append(row, entry);
}

std::int64_t SqliteQueue::ReleaseInFlight() {
  Work work(*this);
  const std::vector<std::int64_t> ids = records_.InFlightIds();
  for (std::int64_t id : ids) {
    if (auto row = records_.FindInFlight(id))
      records_.Return(*row, std::nullopt, false, work.counts, work.unreadable);
  }
  work.Commit(SystemTimeSource().Now());
  return static_cast<std::int64_t>(ids.size());
}

std::vector<TimePoint> SqliteQueue::CallStartsSince(TimePoint since) {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare("SELECT at FROM call_starts WHERE at >= ?1 ORDER BY at");
  s.Bind(1, ToUnixMillis(since));
  std::vector<TimePoint> starts;
  while (s.Step()) starts.push_back(FromUnixMillis(s.Int(0)));
  return starts;
}

void SqliteQueue::RecordCallStart(TimePoint at) {
  sqlite::Statement& s = db_->Prepare("INSERT INTO call_starts(at) VALUES(?1)");
  s.Bind(1, ToUnixMillis(at)).Run();
}

void SqliteQueue::PruneCallStarts(TimePoint before) {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare("DELETE FROM call_starts WHERE at < ?1");
  s.Bind(1, ToUnixMillis(before)).Run();
}

std::int64_t SqliteQueue::Backlog() const {
  return Pending(records_by_state_) + records_by_state_[static_cast<std::size_t>(RecordState::kInFlight)];
}

void SqliteQueue::Refresh() {
  sqlite::StatementScope scope(*db_);
  sqlite::Statement& s = db_->Prepare("SELECT name, value FROM counts");
  records_by_state_ = {};
  dead_letters_ = 0;
  while (s.Step()) {
    const std::string_view name = s.View(0);
    if (name == "dead_letters") {
      dead_letters_ = s.Int(1);
    } else if (name.starts_with("state") && name.size() == 6 && name[5] >= '0' && name[5] <= '3') {
      records_by_state_[static_cast<std::size_t>(name[5] - '0')] = s.Int(1);
    }
  }
}

std::optional<TimePoint> SqliteQueue::OldestPending() {
  sqlite::StatementScope scope(*db_);
  return records_.Oldest();
}

QueueStats SqliteQueue::Stats() {
  Refresh();
  sqlite::StatementScope scope(*db_);
  return {Pending(records_by_state_), records_by_state_[static_cast<std::size_t>(RecordState::kInFlight)],
          dead_letters_, records_.Oldest(), checkpoints_.All()};
}

std::vector<DeadLetterEntry> SqliteQueue::DeadLetters() {
  sqlite::StatementScope scope(*db_);
  return dead_.List({});
}

// Replayed records start over with a fresh attempt count. A record refused
// at ingest (no key) or one that does not decode cannot be replayed and stays.
std::int64_t SqliteQueue::ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now) {
  Work work(*this);
  std::vector<std::int64_t> replayed;
  for (const DeadLetterEntry& entry : dead_.List(ids)) {
    if (entry.key.empty() || !IsStoredRecord(entry.record)) continue;
    records_.PutOlder(entry.key, entry.source, entry.record, now, work.counts, work.unreadable);
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

std::vector<HistoryEntry> SqliteQueue::History(const std::string& key) {
  sqlite::StatementScope scope(*db_);
  return history_.ForKey(key);
}

void SqliteQueue::PruneHistory(TimePoint before) {
  sqlite::StatementScope scope(*db_);
  history_.Prune(before);
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
        "FROM counts c WHERE c.name LIKE 'state%'");
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
