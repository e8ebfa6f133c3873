#include "core/queue/queue_backup.hpp"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "core/queue/private_file.hpp"
#include "core/queue/queue_error.hpp"
#include "core/queue/schema.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

std::int64_t Count(sqlite::Database& db, const char* sql) {
  sqlite::Statement s(db, sql);
  return s.Step() ? s.Int(0) : 0;
}

QueueContents CountContents(sqlite::Database& db) {
  QueueContents c;
  c.pending = Count(db, "SELECT COUNT(*) FROM records WHERE state <> 1");
  c.in_flight = Count(db, "SELECT COUNT(*) FROM records WHERE state = 1");
  c.dead_letters = Count(db, "SELECT COUNT(*) FROM dead_letters");
  c.history = Count(db, "SELECT COUNT(*) FROM history");
  c.checkpoints = Count(db, "SELECT COUNT(*) FROM checkpoints");
  return c;
}

void CopyPages(sqlite::Database& from, sqlite::Database& to) {
  std::unique_ptr<sqlite3_backup, int (*)(sqlite3_backup*)> backup(
      sqlite3_backup_init(to.handle(), "main", from.handle(), "main"), sqlite3_backup_finish);
  if (!backup) throw sqlite::Error(sqlite3_errcode(to.handle()), sqlite3_errmsg(to.handle()));
  // All pages in one step: one read transaction, so one consistent snapshot
  // (a step at a time would restart whenever the daemon commits).
  const int rc = sqlite3_backup_step(backup.get(), -1);
  if (rc != SQLITE_DONE) throw sqlite::Error(rc, std::string("backup: ") + sqlite3_errstr(rc));
  const int finished = sqlite3_backup_finish(backup.release());
  if (finished != SQLITE_OK)
    throw sqlite::Error(finished, std::string("backup: ") + sqlite3_errstr(finished));
}

QueueContents WriteCopy(const std::filesystem::path& queue, const std::filesystem::path& partial) {
  sqlite::Database from(queue, true);
  PrepareSchema(from, queue, false);
  sqlite::Database to(partial);
  CopyPages(from, to);
  to.Exec("PRAGMA journal_mode=DELETE");
  return CountContents(to);
}

}  // namespace

QueueContents BackupQueueFile(const std::filesystem::path& queue, const std::filesystem::path& to,
                              bool overwrite) {
  if (!std::filesystem::exists(queue)) throw QueueError("queue file " + queue.string() + " does not exist");
  if (!overwrite && std::filesystem::exists(std::filesystem::symlink_status(to))) {
    throw QueueError(to.string() + " already exists; add --force to replace it");
  }
  const std::filesystem::path partial = to.string() + ".partial";
  std::filesystem::remove(partial);
  CreateNewPrivateFile(partial);
  try {
    QueueContents contents = WriteCopy(queue, partial);
    PublishFile(partial, to);
    contents.bytes = std::filesystem::file_size(to);
    return contents;
  } catch (const sqlite::Error& e) {
    std::filesystem::remove(partial);
    throw QueueError("backup of " + queue.string() + " to " + to.string() + ": " + e.what());
  } catch (...) {
    std::filesystem::remove(partial);
    throw;
  }
}

}  // namespace leadsync
