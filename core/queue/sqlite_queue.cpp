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
#include "core/queue/sqlite_queue_work.hpp"

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
// must not return the first one's in-flight records, nor read or write a row.
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

}  // namespace

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
    if (options.owner && !options.read_only) (void)ReturnInFlight(options.opened_at);
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

std::int64_t SqliteQueue::Backlog() const {
  return PendingOf(records_by_state_) + records_by_state_[static_cast<std::size_t>(RecordState::kInFlight)];
}

}  // namespace leadsync
