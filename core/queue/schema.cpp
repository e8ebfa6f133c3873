#include "core/queue/schema.hpp"

#include <string>

#include "core/queue/queue.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

constexpr int kApplicationId = 0x4c53594e;  // "LSYN"

constexpr const char* kTables = R"sql(
CREATE TABLE IF NOT EXISTS records(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  source TEXT NOT NULL,
  lead TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_seen INTEGER NOT NULL,
  not_before INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS dead_letters(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL,
  status INTEGER, exception_type TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,
  dead_lettered_at INTEGER NOT NULL, record TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS checkpoints(
  source TEXT PRIMARY KEY, checkpoint TEXT, ingested INTEGER NOT NULL DEFAULT 0,
  epoch INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS call_starts(at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS call_starts_at ON call_starts(at);
CREATE TABLE IF NOT EXISTS history(
  key TEXT NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL, lead_id TEXT NOT NULL,
  created INTEGER NOT NULL, updated INTEGER NOT NULL, attributes TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS history_key ON history(key, at);
CREATE INDEX IF NOT EXISTS history_at ON history(at);
CREATE TABLE IF NOT EXISTS counts(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// The record indexes: each claim and readiness query reads an index in the
// order it needs, so its cost does not grow with the backlog. Ready rows are
// read one priority at a time, oldest first.
constexpr const char* kRecordIndexes = R"sql(
CREATE INDEX IF NOT EXISTS records_key ON records(key);
CREATE INDEX IF NOT EXISTS records_ready_by_priority ON records(priority, id) WHERE state = 0;
CREATE INDEX IF NOT EXISTS records_by_priority ON records(priority, id);
CREATE INDEX IF NOT EXISTS records_by_source ON records(source, id);
CREATE INDEX IF NOT EXISTS records_waiting ON records(not_before) WHERE state = 2;
CREATE INDEX IF NOT EXISTS records_in_flight ON records(id) WHERE state = 1;
)sql";

// Version 1 kept backed-off and held records in state 0 and scanned for them.
constexpr const char* kFromVersion1 = R"sql(
DROP INDEX IF EXISTS records_pending_key;
DROP INDEX IF EXISTS records_state;
DROP INDEX IF EXISTS records_not_before;
DROP INDEX IF EXISTS records_key;
ALTER TABLE history ADD COLUMN message TEXT NOT NULL DEFAULT '';
CREATE TABLE checkpoints_v2(
  source TEXT PRIMARY KEY, checkpoint TEXT, ingested INTEGER NOT NULL DEFAULT 0,
  epoch INTEGER NOT NULL DEFAULT 0);
INSERT INTO checkpoints_v2(source, checkpoint, ingested) SELECT source, checkpoint, ingested FROM checkpoints;
DROP TABLE checkpoints;
ALTER TABLE checkpoints_v2 RENAME TO checkpoints;
UPDATE records SET state = 2 WHERE state = 0 AND not_before > 0;
UPDATE records SET state = 3 WHERE state IN (0, 2)
  AND key IN (SELECT key FROM records WHERE state = 1);
)sql";

// Version 2 had no priorities: every record and dead letter is normal (the
// columns' default), and ready rows were indexed by id alone.
constexpr const char* kFromVersion2 = R"sql(
ALTER TABLE records ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dead_letters ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
DROP INDEX IF EXISTS records_ready;
)sql";

// Version 4: the limits refusals stated, one row per window length, with the
// value configured for that window when it was learned (NULL: none).
constexpr const char* kLearnedLimits = R"sql(
CREATE TABLE IF NOT EXISTS learned_limits(
  per INTEGER PRIMARY KEY, calls INTEGER NOT NULL, configured INTEGER);
)sql";

// Version 5: the account's lead schema as last fetched (one row at most),
// and dead letters by age, which retention prunes by.
constexpr const char* kLeadSchema = R"sql(
CREATE TABLE IF NOT EXISTS lead_schema(
  id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL, fetched_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dead_letters_at ON dead_letters(dead_lettered_at);
)sql";

constexpr const char* kRecount = R"sql(
DELETE FROM counts;
INSERT INTO counts(name, value) SELECT 'state' || s, (SELECT COUNT(*) FROM records WHERE state = s)
  FROM (SELECT 0 AS s UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3);
INSERT INTO counts(name, value) SELECT 'dead_letters', COUNT(*) FROM dead_letters;
INSERT INTO counts(name, value) SELECT 'priority' || p, (SELECT COUNT(*) FROM records WHERE priority = p)
  FROM (SELECT 0 AS p UNION ALL SELECT 1 UNION ALL SELECT 2);
)sql";

std::int64_t PragmaInt(sqlite::Database& db, const char* pragma) {
  sqlite::Statement s(db, std::string("PRAGMA ") + pragma);
  return s.Step() ? s.Int(0) : 0;
}

void Create(sqlite::Database& db, std::int64_t version) {
  sqlite::Transaction tx(db);
  db.Exec(kTables);
  if (version == 1) db.Exec(kFromVersion1);
  if (version == 1 || version == 2) db.Exec(kFromVersion2);
  db.Exec(kRecordIndexes);
  if (version < 4) db.Exec(kLearnedLimits);
  if (version < 5) db.Exec(kLeadSchema);
  db.Exec(kRecount);
  db.Exec("PRAGMA application_id=" + std::to_string(kApplicationId));
  db.Exec("PRAGMA user_version=" + std::to_string(kQueueSchemaVersion));
  tx.Commit();
}

}  // namespace

void RecountQueue(sqlite::Database& db) { db.Exec(kRecount); }

void PrepareSchema(sqlite::Database& db, const std::filesystem::path& path, bool writable) {
  const std::int64_t app_id = PragmaInt(db, "application_id");
  const std::int64_t version = PragmaInt(db, "user_version");
  if (app_id != 0 && app_id != kApplicationId) {
    throw QueueError("queue file " + path.string() + " is not a leadsync queue (application id " +
                     std::to_string(app_id) + "); check queue.path");
  }
  if (version > kQueueSchemaVersion) {
    throw QueueError("queue file " + path.string() + " was written by a newer leadsync (schema " +
                     std::to_string(version) + "); upgrade leadsync or point queue.path elsewhere");
  }
  if (version < kQueueSchemaVersion && !writable) {
    throw QueueError("queue file " + path.string() + " has an older schema (" + std::to_string(version) +
                     "); start the daemon once (or run `leadsync enqueue`) to upgrade it");
  }
  if (writable && version < kQueueSchemaVersion) Create(db, version);
}

}  // namespace leadsync
