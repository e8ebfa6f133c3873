#include "core/queue/queue.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "core/codec/api_body.hpp"
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

class QueueTest : public ::testing::Test {
 protected:
  std::unique_ptr<Queue> Open() {
    return OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, true});
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
  // Virtual machine steps of one run of `sql` (LIMIT 25, a time far ahead).
  int Steps(const std::string& sql) {
    sqlite3* db = Connect();
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    if (sqlite3_bind_parameter_count(stmt) > 0) sqlite3_bind_int64(stmt, 1, 25);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
    }
    const int steps = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return steps;
  }
  // Grows the backlog to `total` ready rows, half of them behind waiting
  // and in-flight ones, the way a long backfill under faults looks.
  void Fill(int total) {
    Exec(
        "WITH RECURSIVE n(i) AS (SELECT (SELECT COUNT(*) FROM records) UNION ALL SELECT i + 1 FROM n "
        "WHERE i + 1 < " +
        std::to_string(total) +
        ") "
        "INSERT INTO records(key, source, lead, state, first_seen, not_before) "
        "SELECT 'emailaddress:u' || i || '@x.com', 's', '[]', CASE i % 4 WHEN 1 THEN 2 WHEN 3 THEN 1 ELSE 0 "
        "END, i, "
        "CASE i % 4 WHEN 1 THEN 9000000000000 ELSE 0 END FROM n");
  }
  sqlite3* Connect() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "queue.db").c_str(), &db), SQLITE_OK);
    return db;
  }

  TempDir dir_;
  ManualTimeSource clock_;
};

TEST_F(QueueTest, CoalescesChangesToOneKeyWhilePending) {
  auto q = Open();
  EnqueueResult r = q->Enqueue(
      std::vector{Change("A@x.com", {{"FirstName", "Ann"}, {"City", "Pune"}}),
                  Change("b@x.com", {{"FirstName", "Bob"}}), Change(" a@X.com", {{"FirstName", "Anna"}})},
      {}, std::nullopt, clock_.Now());
  EXPECT_EQ(r.inserted, 2);
  EXPECT_EQ(r.coalesced, 1);
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].key, "emailaddress:a@x.com");
  EXPECT_EQ(Decoded(batch[0]).Find("FirstName")->value, "Anna");
  EXPECT_EQ(Decoded(batch[0]).Find("City")->value, "Pune");
  // Values are sent as written: only the key is normalised.
  EXPECT_EQ(Decoded(batch[0]).Find("EmailAddress")->value, " a@X.com");
}

TEST_F(QueueTest, ClaimsOldestFirstUpToTheLimit) {
  auto q = Open();
  for (int i = 0; i < 30; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
  auto first = q->Claim(25, clock_.Now());
  ASSERT_EQ(first.size(), 25u);
  EXPECT_EQ(first.front().key, "emailaddress:u0@x.com");
  EXPECT_EQ(first.back().key, "emailaddress:u24@x.com");
  EXPECT_EQ(Keys(q->Claim(25, clock_.Now())).front(), "emailaddress:u25@x.com");
}

TEST_F(QueueTest, KeyInFlightIsNotClaimedAgainUntilSettled) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 1u);
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty());
  q->ApplySettlement({clock_.Now(), 200, {{batch[0].id, {1, "L1", true, false, 1, ""}}}, {}, {}, {}});
  auto next = q->Claim(25, clock_.Now());
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Decoded(next[0]).Find("FirstName")->value, "v2");
}

TEST_F(QueueTest, RetriedRecordMergesUnderTheNewerVersion) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}, {"City", "Pune"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  q->ApplySettlement({clock_.Now(), 500, {}, {{batch[0].id, clock_.Now() + milliseconds(1000)}}, {}, {}});
  EXPECT_EQ(q->Backlog(), 1);
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty());  // backing off
  clock_.Advance(milliseconds(1000));
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, batch[0].id);
  EXPECT_EQ(again[0].attempts, 1);
  EXPECT_EQ(Decoded(again[0]).Find("FirstName")->value, "v2");
  EXPECT_EQ(Decoded(again[0]).Find("City")->value, "Pune");
}

TEST_F(QueueTest, AckDeletesOnlyTheVersionSent) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  q->ApplySettlement({clock_.Now(), 200, {{batch[0].id, {1, "L1", true, false, 1, ""}}}, {}, {}, {}});
  EXPECT_EQ(q->Backlog(), 1);
  EXPECT_EQ(q->History("emailaddress:a@x.com").size(), 1u);
}

TEST_F(QueueTest, InFlightRecordsReturnToPendingAfterReopen) {
  {
    auto q = Open();
    Add(*q, {Change("a@x.com", {{"FirstName", "v1"}}), Change("b@x.com", {})});
    ASSERT_EQ(q->Claim(1, clock_.Now()).size(), 1u);
  }
  auto q = Open();
  EXPECT_EQ(q->Stats().in_flight, 0);
  EXPECT_EQ(q->Stats().pending, 2);
  EXPECT_EQ(Keys(q->Claim(25, clock_.Now())),
            (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com"}));
}

TEST_F(QueueTest, CheckpointCommitsWithTheRecords) {
  auto q = Open();
  std::vector<Rejection> rejected = {{"spool", "", "f.csv:3", "no key", "x"}};
  (void)q->Enqueue(std::vector{Change("a@x.com", {}, "spool")}, rejected, CheckpointUpdate{"spool", "file-1"},
                   clock_.Now());
  EXPECT_EQ(q->ReadCheckpoint("spool").value, "file-1");
  QueueStats stats = q->Stats();
  EXPECT_EQ(stats.sources["spool"].ingested, 1);
  EXPECT_EQ(stats.dead_letter, 1);
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].message, "f.csv:3: no key");
  EXPECT_FALSE(dead[0].status.has_value());
}

TEST_F(QueueTest, DeadLetterKeepsTheAnswerAndCanBeReplayed) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  q->ApplySettlement(
      {clock_.Now(), 400, {}, {}, {{batch[0].id, "bad_request", 400, "MXInvalidException", "bad"}}, {}});
  EXPECT_EQ(q->Backlog(), 0);
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].status, 400);
  EXPECT_EQ(dead[0].exception_type, "MXInvalidException");
  EXPECT_EQ(dead[0].attempts, 1);
  EXPECT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 1);
  EXPECT_EQ(q->DeadLetterCount(), 0);
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 0);
}

// A replayed dead letter is the older change: the newer pending change wins
// attribute by attribute, and what only the old one had is kept.
TEST_F(QueueTest, ReplayNeverOverwritesANewerPendingChange) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "Old"}, {"City", "Pune"}})});
  auto batch = q->Claim(25, clock_.Now());
  q->ApplySettlement({clock_.Now(), 400, {}, {}, {{batch[0].id, "bad_request", 400, "", "bad"}}, {}});
  Add(*q, {Change("a@x.com", {{"FirstName", "New"}})});
  ASSERT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 1);
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(Decoded(again[0]).Find("FirstName")->value, "New");
  EXPECT_EQ(Decoded(again[0]).Find("City")->value, "Pune");
  EXPECT_EQ(q->Stats().pending, 0);
}

TEST_F(QueueTest, ReplayIntoAKeyInFlightKeepsTheInFlightValues) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "Old"}, {"City", "Pune"}})});
  auto first = q->Claim(25, clock_.Now());
  q->ApplySettlement({clock_.Now(), 400, {}, {}, {{first[0].id, "bad_request", 400, "", "bad"}}, {}});
  Add(*q, {Change("a@x.com", {{"FirstName", "Sent"}})});
  auto in_flight = q->Claim(25, clock_.Now());
  ASSERT_EQ(in_flight.size(), 1u);
  ASSERT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 1);
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty()) << "held while its key is in flight";
  q->ApplySettlement({clock_.Now(), 200, {{in_flight[0].id, {1, "L1", false, true, 1, ""}}}, {}, {}, {}});
  auto next = q->Claim(25, clock_.Now());
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Decoded(next[0]).Find("FirstName")->value, "Sent");
  EXPECT_EQ(Decoded(next[0]).Find("City")->value, "Pune");
}

TEST_F(QueueTest, HeldChangeMergesIntoARetriedRecord) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"LastName", "L2"}})});
  Add(*q, {Change("a@x.com", {{"FirstName", "v3"}})});
  EXPECT_EQ(q->Stats().pending, 1) << "the two newer changes coalesced while held";
  q->ApplySettlement({clock_.Now(), 0, {}, {}, {}, {batch[0].id}});
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, batch[0].id) << "keeps its place in line";
  EXPECT_EQ(Decoded(again[0]).Find("FirstName")->value, "v3");
  EXPECT_EQ(Decoded(again[0]).Find("LastName")->value, "L2");
  EXPECT_EQ(q->Backlog(), 1);
}

TEST_F(QueueTest, UnreadableRowIsMovedToTheDeadLetterStoreAtClaim) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {}), Change("b@x.com", {})});
  Exec("UPDATE records SET lead = 'garbage' WHERE key = 'emailaddress:a@x.com'");
  auto batch = q->Claim(25, clock_.Now());
  EXPECT_EQ(Keys(batch), std::vector<std::string>{"emailaddress:b@x.com"});
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].reason, "unreadable");
  EXPECT_EQ(dead[0].record, "garbage");
  EXPECT_EQ(dead[0].key, "emailaddress:a@x.com");
  EXPECT_EQ(q->Stats().pending, 0);
  EXPECT_EQ(q->Stats().dead_letter, 1);
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

TEST_F(QueueTest, UnreadableRowGivesWayToANewChange) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  Exec("UPDATE records SET lead = 'garbage'");
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(Decoded(batch[0]).Find("FirstName")->value, "v2");
  EXPECT_EQ(q->DeadLetters().at(0).reason, "unreadable");
}

TEST_F(QueueTest, CheckpointResetBumpsTheEpochAndRefusesAStaleCommit) {
  auto q = Open();
  (void)q->Enqueue(std::vector{Change("a@x.com", {}, "pg")}, {}, CheckpointUpdate{"pg", "100", 0},
                   clock_.Now());
  EXPECT_EQ(q->ReadCheckpoint("pg").epoch, 0);
  q->ResetCheckpoint("pg", "5");
  const Checkpoint reset = q->ReadCheckpoint("pg");
  EXPECT_EQ(reset.value, "5");
  EXPECT_EQ(reset.epoch, 1);
  const EnqueueResult stale = q->Enqueue(std::vector{Change("b@x.com", {}, "pg")}, {},
                                         CheckpointUpdate{"pg", "200", 0}, clock_.Now());
  EXPECT_TRUE(stale.checkpoint_conflict);
  EXPECT_EQ(q->ReadCheckpoint("pg").value, "5");
  EXPECT_EQ(q->Stats().pending, 1) << "nothing of the stale commit landed";
  q->ResetCheckpoint("pg", std::nullopt);
  EXPECT_EQ(q->ReadCheckpoint("pg").value, std::nullopt);
  EXPECT_EQ(q->ReadCheckpoint("never").epoch, 0);
}

TEST_F(QueueTest, CountsArePersistedAndCheckedByIntegrityCheck) {
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
TEST_F(QueueTest, ClaimAndReadinessPlansUseIndexesWithoutSorting) {
  Open();
  for (const char* sql : {RecordQueries::kByKey, RecordQueries::kReady, RecordQueries::kReadyCount,
                          RecordQueries::kWakeDue, RecordQueries::kNextWaiting, RecordQueries::kOldest,
                          RecordQueries::kHeld, RecordQueries::kInFlight}) {
    const std::string plan = Plan(sql);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
    // The oldest record is the first in rowid order: a scan that stops at one row.
    if (std::string_view(sql) == RecordQueries::kOldest) continue;
    EXPECT_EQ(plan.find("SCAN records\n"), std::string::npos) << sql << "\n" << plan;
    EXPECT_NE(plan.find("USING"), std::string::npos) << sql << "\n" << plan;
  }
}

// What a claim costs in rows visited does not depend on the backlog: the
// same number of virtual machine steps with 1 000 or 200 000 pending.
TEST_F(QueueTest, ClaimCostDoesNotGrowWithTheBacklog) {
  auto q = Open();
  q.reset();
  auto steps = [&] {
    int total = 0;
    for (const char* sql : {RecordQueries::kReady, RecordQueries::kReadyCount, RecordQueries::kNextWaiting,
                            RecordQueries::kOldest, RecordQueries::kByKey}) {
      total += Steps(sql);
    }
    return total;
  };
  Fill(1'000);
  const int small = steps();
  Fill(200'000);
  const int large = steps();
  EXPECT_EQ(small, large);
  EXPECT_LT(large, 1000);
}

// A queue file written by the previous release (schema 1) opens and keeps
// every record, in the state it meant.
TEST_F(QueueTest, UpgradesAVersionOneFile) {
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

// One owner at a time: a second daemon's open is refused before it reads or
// writes anything, so the first one's records stay in flight; the CLI's
// opens (not owners) work beside it.
TEST_F(QueueTest, SecondOwnerIsRefusedAndLeavesInFlightRecordsAlone) {
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
  auto cli = OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, false});
  EXPECT_EQ(cli->Stats().in_flight, 1);
  EXPECT_EQ(cli->Stats().pending, 1);
  q.reset();
  EXPECT_EQ(Open()->Stats().in_flight, 0) << "the next owner releases what the last one left in flight";
}

TEST_F(QueueTest, CallStartsSurviveReopen) {
  {
    auto q = Open();
    Add(*q, {Change("a@x.com", {})});
    (void)q->Claim(25, clock_.Now());
  }
  auto q = Open();
  EXPECT_EQ(q->CallStartsSince(clock_.Now() - milliseconds(5000)).size(), 1u);
}

TEST_F(QueueTest, RefusesAFileThatIsNotADatabase) {
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

}  // namespace
}  // namespace leadsync
