// What only the SQLite backend has: its file, schema, query plans and the
// counts table. What every backend must do is in the role tests
// (*_role_test.cpp), run against SQLite by backends_test.cpp.
#include "core/queue/sqlite_queue.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "core/codec/api_body.hpp"
#include "core/queue/dead_letter_store.hpp"
#include "core/queue/record_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

using std::chrono::milliseconds;
using testing::TempDir;

IncomingLead Change(const std::string& email, std::vector<Attribute> attributes,
                    const std::string& source = "s") {
  attributes.insert(attributes.begin(), Attribute{"EmailAddress", email});
  Lead lead(std::move(attributes));
  return {*LeadKey(lead), source, lead};
}

Lead Decoded(const QueuedRecord& record) { return DecodeRecord(record.record).value_or(Lead{}); }

class SqliteQueueTest : public ::testing::Test {
 protected:
  std::unique_ptr<Queue> Open() {
    return OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, true, false, clock_.Now()});
  }
  void Add(Queue& q, std::vector<IncomingLead> leads) {
    (void)q.Enqueue(leads, {}, std::nullopt, clock_.Now());
  }
  std::vector<std::string> Keys(const std::vector<QueuedRecord>& records) {
    std::vector<std::string> keys;
    for (const auto& r : records) keys.push_back(r.key);
    return keys;
  }

  // Runs SQL on the queue file through a connection of the test's own.
  void Exec(const std::string& sql) {
    sqlite3* db = Connect();
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  std::string Plan(const std::string& sql) {
    sqlite3* db = Connect();
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr), SQLITE_OK);
    std::string plan;
    while (sqlite3_step(stmt) == SQLITE_ROW)
      plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))) + "\n";
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return plan;
  }
  // Virtual machine steps of one run of `sql` (LIMIT 25, then `second`: a
  // time far ahead, or a priority).
  int Steps(const std::string& sql, std::int64_t second = INT64_MAX) {
    sqlite3* db = Connect();
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    if (sqlite3_bind_parameter_count(stmt) > 0) sqlite3_bind_int64(stmt, 1, 25);
    if (sqlite3_bind_parameter_count(stmt) > 1) sqlite3_bind_int64(stmt, 2, second);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
    }
    const int steps = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return steps;
  }
  // Grows the backlog to `total` ready rows, half of them behind waiting
  // and in-flight ones, the way a long backfill under faults looks; a third
  // of each at each priority.
  void Fill(int total) {
    Exec(
        "WITH RECURSIVE n(i) AS (SELECT (SELECT COUNT(*) FROM records) UNION ALL SELECT i + 1 FROM n "
        "WHERE i + 1 < " +
        std::to_string(total) +
        ") "
        "INSERT INTO records(key, source, lead, state, first_seen, not_before, priority) "
        "SELECT 'emailaddress:u' || i || '@x.com', 's', '[]', CASE i % 4 WHEN 1 THEN 2 WHEN 3 THEN 1 ELSE 0 "
        "END, i, "
        "CASE i % 4 WHEN 1 THEN 9000000000000 ELSE 0 END, i % 3 FROM n");
  }
  sqlite3* Connect() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "queue.db").c_str(), &db), SQLITE_OK);
    return db;
  }

  TempDir dir_;
  ManualTimeSource clock_;
};

TEST_F(SqliteQueueTest, CountsThatDisagreeWithTheRecordsFailTheIntegrityCheck) {
  {
    auto q = Open();
    for (int i = 0; i < 5; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
    (void)q->Claim(2, clock_.Now());
  }
  auto q = Open();
  EXPECT_EQ(q->Stats().pending, 5);
  EXPECT_TRUE(q->IntegrityCheck().empty());
  Exec("UPDATE counts SET value = value + 7 WHERE name = 'state0'");
  const auto problems = q->IntegrityCheck();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("state0 says 12"), std::string::npos) << problems[0];
}

// The claim path's plans read an index in order: no sort, no scan of the
// backlog (a schema change that brings one back fails here).
TEST_F(SqliteQueueTest, ClaimAndReadinessPlansUseIndexesWithoutSorting) {
  Open();
  for (const char* sql :
       {RecordQueries::kByKey, RecordQueries::kReady, RecordQueries::kReadyCount, RecordQueries::kDueCount,
        RecordQueries::kWakeDue, RecordQueries::kNextWaiting, RecordQueries::kOldest, RecordQueries::kHeld,
        RecordQueries::kInFlight, RecordQueries::kOldestOfPriority, RecordQueries::kOldestOfSource}) {
    const std::string plan = Plan(sql);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
    // The oldest record is the first in rowid order: a scan that stops at one row.
    if (std::string_view(sql) == RecordQueries::kOldest) continue;
    EXPECT_EQ(plan.find("SCAN records\n"), std::string::npos) << sql << "\n" << plan;
    EXPECT_NE(plan.find("USING"), std::string::npos) << sql << "\n" << plan;
  }
  EXPECT_NE(Plan(RecordQueries::kReady).find("INDEX records_ready_by_priority (priority=?)"),
            std::string::npos)
      << "a claim reads ready rows of one priority, not every row of it";
}

// Retention prunes old dead letters by their index, not by reading them all.
TEST_F(SqliteQueueTest, DeadLetterRetentionUsesItsIndex) {
  Open();
  const std::string plan = Plan(DeadLetterQueries::kRemoveBefore);
  EXPECT_NE(plan.find("INDEX dead_letters_at"), std::string::npos) << plan;
}

// A daily cap keeps about ten thousand call starts: reading them at start,
// adding one per call and pruning each read the index, never the table,
// and the cost of adding one does not grow with the count.
TEST_F(SqliteQueueTest, CallStartQueriesUseTheirIndex) {
  auto q = Open();
  for (const char* sql : {CallStartQueries::kSince, CallStartQueries::kPrune}) {
    const std::string plan = Plan(sql);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
    EXPECT_NE(plan.find("INDEX call_starts_at"), std::string::npos) << sql << "\n" << plan;
  }
  // A day of starts at 10,000 a day, 8.64 s apart.
  const TimePoint t = clock_.Now();
  Exec(
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) "
      "INSERT INTO call_starts(at) SELECT " +
      std::to_string(ToUnixMillis(t)) + " + 8640 * i FROM n");
  EXPECT_EQ(q->CallStartsSince(t + std::chrono::hours(23)).size(), 416u) << "the last hour of the day";
}

// What a claim costs in rows visited does not depend on the backlog: the
// same number of virtual machine steps with 1 000 or 200 000 pending.
TEST_F(SqliteQueueTest, ClaimCostDoesNotGrowWithTheBacklog) {
  auto q = Open();
  q.reset();
  auto steps = [&] {
    int total = 0;
    for (const char* sql : {RecordQueries::kReadyCount, RecordQueries::kDueCount, RecordQueries::kNextWaiting,
                            RecordQueries::kOldest, RecordQueries::kByKey}) {
      total += Steps(sql);
    }
    for (Priority priority : kPriorities) total += Steps(RecordQueries::kReady, PriorityValue(priority));
    return total;
  };
  Fill(1'000);
  const int small = steps();
  Fill(200'000);
  const int large = steps();
  EXPECT_EQ(small, large);
  EXPECT_LT(large, 2000);  // 25 ready rows read at each of the three priorities
}

// A queue file written by the previous release (schema 1) opens and keeps
// every record, in the state it meant.
TEST_F(SqliteQueueTest, UpgradesAVersionOneFile) {
  Exec(R"sql(
    CREATE TABLE records(id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, source TEXT NOT NULL,
      lead TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
      first_seen INTEGER NOT NULL, not_before INTEGER NOT NULL DEFAULT 0);
    CREATE UNIQUE INDEX records_pending_key ON records(key) WHERE state = 0;
    CREATE INDEX records_key ON records(key, state);
    CREATE INDEX records_state ON records(state, id);
    CREATE INDEX records_not_before ON records(state, not_before);
    CREATE TABLE dead_letters(id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, source TEXT NOT NULL,
      reason TEXT NOT NULL, status INTEGER, exception_type TEXT NOT NULL DEFAULT '',
      message TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,
      dead_lettered_at INTEGER NOT NULL, record TEXT NOT NULL);
    CREATE TABLE checkpoints(source TEXT PRIMARY KEY, checkpoint TEXT NOT NULL, ingested INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE call_starts(at INTEGER NOT NULL);
    CREATE TABLE history(key TEXT NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL, lead_id TEXT NOT NULL,
      created INTEGER NOT NULL, updated INTEGER NOT NULL, attributes TEXT NOT NULL);
    INSERT INTO records(key, source, lead, state, first_seen, not_before) VALUES
      ('emailaddress:a@x.com', 's', '[{"Attribute":"EmailAddress","Value":"a@x.com"}]', 0, 1, 0),
      ('emailaddress:b@x.com', 's', '[{"Attribute":"EmailAddress","Value":"b@x.com"},{"Attribute":"FirstName","Value":"old"}]', 1, 2, 0),
      ('emailaddress:b@x.com', 's', '[{"Attribute":"EmailAddress","Value":"b@x.com"},{"Attribute":"FirstName","Value":"new"}]', 0, 3, 0),
      ('emailaddress:c@x.com', 's', '[{"Attribute":"EmailAddress","Value":"c@x.com"}]', 0, 4, 9000000000000);
    INSERT INTO checkpoints VALUES('spool', 'file|1', 3);
    INSERT INTO dead_letters(key, source, reason, first_seen, dead_lettered_at, record)
      VALUES('', 's', 'rejected', 1, 1, 'x');
    PRAGMA application_id = 1280530766;
    PRAGMA user_version = 1;
  )sql");
  auto q = Open();  // the daemon's open: in-flight records go back to pending
  const QueueStats stats = q->Stats();
  EXPECT_EQ(stats.pending, 3);
  EXPECT_EQ(stats.in_flight, 0);
  EXPECT_EQ(stats.dead_letter, 1);
  EXPECT_EQ(q->ReadCheckpoint("spool").value, "file|1");
  const auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(Keys(batch), (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com"}))
      << "c@x.com is still backing off";
  EXPECT_EQ(Decoded(batch[1]).Find("FirstName")->value, "new") << "the held change merged over the old one";
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

// A queue file of schema 2 (before priorities) opens with every record and
// dead letter at normal, counted per priority.
TEST_F(SqliteQueueTest, UpgradesAVersionTwoFileToNormalPriority) {
  Exec(R"sql(
    CREATE TABLE records(id INTEGER PRIMARY KEY, key TEXT NOT NULL, source TEXT NOT NULL, lead TEXT NOT NULL,
      state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,
      not_before INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE dead_letters(id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, source TEXT NOT NULL,
      reason TEXT NOT NULL, status INTEGER, exception_type TEXT NOT NULL DEFAULT '',
      message TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,
      dead_lettered_at INTEGER NOT NULL, record TEXT NOT NULL);
    CREATE TABLE checkpoints(source TEXT PRIMARY KEY, checkpoint TEXT, ingested INTEGER NOT NULL DEFAULT 0,
      epoch INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE call_starts(at INTEGER NOT NULL);
    CREATE TABLE history(key TEXT NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL, lead_id TEXT NOT NULL,
      created INTEGER NOT NULL, updated INTEGER NOT NULL, attributes TEXT NOT NULL,
      message TEXT NOT NULL DEFAULT '');
    CREATE TABLE counts(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX records_key ON records(key);
    CREATE INDEX records_ready ON records(id) WHERE state = 0;
    CREATE INDEX records_waiting ON records(not_before) WHERE state = 2;
    CREATE INDEX records_in_flight ON records(id) WHERE state = 1;
    INSERT INTO records(key, source, lead, state, first_seen) VALUES
      ('emailaddress:a@x.com', 's', '[{"Attribute":"EmailAddress","Value":"a@x.com"}]', 0, 1),
      ('emailaddress:b@x.com', 's', '[{"Attribute":"EmailAddress","Value":"b@x.com"}]', 0, 2);
    INSERT INTO dead_letters(key, source, reason, first_seen, dead_lettered_at, record)
      VALUES('emailaddress:c@x.com', 's', 'bad_request', 1, 1, '[{"Attribute":"EmailAddress","Value":"c@x.com"}]');
    INSERT INTO counts VALUES('state0', 2), ('state1', 0), ('state2', 0), ('state3', 0), ('dead_letters', 1);
    PRAGMA application_id = 1280530766;
    PRAGMA user_version = 2;
  )sql");
  auto q = Open();
  const QueueStats stats = q->Stats();
  EXPECT_EQ(stats.pending, 2);
  EXPECT_EQ(stats.priorities[static_cast<std::size_t>(PriorityValue(Priority::kNormal))].records, 2);
  ASSERT_EQ(q->DeadLetters().size(), 1u);
  EXPECT_EQ(q->DeadLetters()[0].priority, Priority::kNormal);
  const auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(Keys(batch), (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com"}));
  EXPECT_EQ(batch[0].priority, Priority::kNormal);
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

// Version 5 keeps the account's schema (leadsquared.validate): a version 4
// file has none until the daemon fetches one, then keeps it across opens.
TEST_F(SqliteQueueTest, UpgradesVersion4AndKeepsTheLeadSchemaAcrossOpens) {
  {
    auto q = Open();
    Add(*q, {Change("a@x.com", {})});
  }
  Exec("DROP TABLE lead_schema; PRAGMA user_version = 4;");
  {
    auto q = Open();
    EXPECT_EQ(q->LoadLeadSchema(), std::nullopt);
    q->StoreLeadSchema({R"([{"SchemaName":"EmailAddress"}])", clock_.Now()});
    q->StoreLeadSchema({R"([{"SchemaName":"FirstName"}])", clock_.Now() + milliseconds(5)});
    EXPECT_EQ(q->Stats().pending, 1);
  }
  auto q = Open();
  const std::optional<StoredLeadSchema> kept = q->LoadLeadSchema();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, R"([{"SchemaName":"FirstName"}])");
  EXPECT_EQ(kept->fetched_at, clock_.Now() + milliseconds(5));
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

TEST_F(SqliteQueueTest, RefusesAFileThatIsNotADatabase) {
  testing::WriteFile(dir_ / "queue.db", std::string(8192, 'x'));
  try {
    Open();
    FAIL() << "opened garbage";
  } catch (const QueueError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("queue check"), std::string::npos) << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(dir_ / "queue.db"), 8192u);
}

// One owner at a time: a second daemon's open is refused before it reads or
// writes anything, so the first one's records stay in flight; the CLI's
// opens (not owners) work beside it.
TEST_F(SqliteQueueTest, SecondOwnerIsRefusedAndLeavesInFlightRecordsAlone) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {}), Change("b@x.com", {})});
  ASSERT_EQ(q->Claim(1, clock_.Now()).size(), 1u);
  try {
    Open();
    FAIL() << "a second owner opened the queue";
  } catch (const QueueError& e) {
    EXPECT_NE(std::string(e.what()).find("in use by PID " + std::to_string(getpid())), std::string::npos)
        << e.what();
  }
  auto cli = OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, false, false, clock_.Now()});
  EXPECT_EQ(cli->Stats().in_flight, 1);
  EXPECT_EQ(cli->Stats().pending, 1);
  q.reset();
  EXPECT_EQ(Open()->Stats().in_flight, 0) << "the next owner returns what the last one left in flight";
}

}  // namespace
}  // namespace leadsync
