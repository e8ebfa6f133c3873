#include "core/queue/queue.hpp"

#include <sqlite3.h>

#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

// Bumped when the schema changes; a newer file is refused rather than misread.
constexpr int kSchemaVersion = 1;
constexpr int kApplicationId = 0x4c53594e;  // "LSYN"

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS records(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  source TEXT NOT NULL,
  lead TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,          -- 0 pending, 1 in flight
  attempts INTEGER NOT NULL DEFAULT 0,
  first_seen INTEGER NOT NULL,
  not_before INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS records_pending_key ON records(key) WHERE state = 0;
CREATE INDEX IF NOT EXISTS records_key ON records(key, state);
CREATE INDEX IF NOT EXISTS records_state ON records(state, id);
CREATE INDEX IF NOT EXISTS records_not_before ON records(state, not_before);
CREATE TABLE IF NOT EXISTS dead_letters(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL,
  status INTEGER, exception_type TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,
  dead_lettered_at INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints(
  source TEXT PRIMARY KEY, checkpoint TEXT NOT NULL, ingested INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS call_starts(at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS call_starts_at ON call_starts(at);
CREATE TABLE IF NOT EXISTS history(
  key TEXT NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL, lead_id TEXT NOT NULL,
  created INTEGER NOT NULL, updated INTEGER NOT NULL, attributes TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_key ON history(key, at);
CREATE INDEX IF NOT EXISTS history_at ON history(at);
)sql";

std::string DamagedAdvice(const std::filesystem::path& path, const std::string& detail) {
  return "queue file " + path.string() + " is damaged (" + detail +
         "). Stop leadsync, keep a copy of the file, run `leadsync queue check` for details; "
         "to start over, move the file (and its -wal/-shm files) aside and leadsync creates a new one";
}

std::int64_t PragmaInt(sqlite::Database& db, const char* pragma) {
  sqlite::Statement s(db, std::string("PRAGMA ") + pragma);
  return s.Step() ? s.Int(0) : 0;
}

}  // namespace

Queue::Queue(const QueueOptions& options) : journal_(options.journal) {
  if (!options.read_only && options.path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(options.path.parent_path(), ec);
  }
  try {
    db_ = std::make_unique<sqlite::Database>(options.path, options.read_only);
    const std::int64_t app_id = PragmaInt(*db_, "application_id");
    const std::int64_t version = PragmaInt(*db_, "user_version");
    if (app_id != 0 && app_id != kApplicationId) {
      throw QueueError("queue file " + options.path.string() + " is not a leadsync queue; check queue.path");
    }
    if (version > kSchemaVersion) {
      throw QueueError("queue file " + options.path.string() + " was written by a newer leadsync (schema " +
                       std::to_string(version) + "); upgrade leadsync or point queue.path elsewhere");
    }
    if (!options.read_only) {
      db_->Exec("PRAGMA journal_mode=WAL");
      db_->Exec(options.sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      CreateSchema();
      if (options.owner) RecoverInFlight();
    }
    Recount();
  } catch (const sqlite::Error& e) {
    const int primary = e.code() & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
      throw QueueError(DamagedAdvice(options.path, e.what()));
    }
    throw QueueError("queue file " + options.path.string() + ": " + e.what());
  }
}

Queue::~Queue() = default;

void Queue::CreateSchema() {
  sqlite::Transaction tx(*db_);
  db_->Exec(kSchema);
  db_->Exec("PRAGMA application_id=" + std::to_string(kApplicationId));
  db_->Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  tx.Commit();
}

void Queue::RecoverInFlight() {
  // A previous process died with these on the wire: the answer is unknown,
  // so at-least-once means sending them again.
  std::vector<std::int64_t> ids;
  sqlite::Statement s(*db_, "SELECT id FROM records WHERE state = 1 ORDER BY id");
  while (s.Step()) ids.push_back(s.Int(0));
  if (ids.empty()) return;
  sqlite::Transaction tx(*db_);
  for (std::int64_t id : ids) ReturnToPending(id, std::nullopt, false);
  tx.Commit();
}

void Queue::Recount() {
  sqlite::Statement s(*db_, "SELECT state, COUNT(*) FROM records GROUP BY state");
  pending_ = in_flight_ = 0;
  while (s.Step()) (s.Int(0) == 0 ? pending_ : in_flight_) = s.Int(1);
  sqlite::Statement d(*db_, "SELECT COUNT(*) FROM dead_letters");
  dead_letter_ = d.Step() ? d.Int(0) : 0;
}

std::optional<TimePoint> Queue::OldestPending() {
  // Rows keep their id when they merge or retry, so the lowest id is the
  // oldest record; this reads one row instead of scanning the backlog.
  sqlite::Statement s(*db_, "SELECT first_seen FROM records ORDER BY id LIMIT 1");
  if (!s.Step()) return std::nullopt;
  return FromUnixMillis(s.Int(0));
}

QueueStats Queue::Stats() {
  Recount();
  QueueStats stats{pending_, in_flight_, dead_letter_, OldestPending(), {}};
  sqlite::Statement s(*db_, "SELECT source, checkpoint, ingested FROM checkpoints ORDER BY source");
  while (s.Step()) stats.sources[s.Text(0)] = SourceState{s.Text(1), s.Int(2)};
  return stats;
}

std::vector<std::string> Queue::IntegrityCheck() {
  std::vector<std::string> problems;
  try {
    sqlite::Statement s(*db_, "PRAGMA integrity_check");
    while (s.Step()) {
      if (s.Text(0) != "ok") problems.push_back(s.Text(0));
    }
  } catch (const sqlite::Error& e) {
    problems.emplace_back(e.what());
  }
  return problems;
}

}  // namespace leadsync
