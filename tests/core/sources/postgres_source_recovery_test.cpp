// The postgres source against a real PostgreSQL 15 when things go wrong or
// are moved on purpose: a server restart, a broken query, `source reset`
// (also while a page is in flight), backpressure and stopping mid-query.
#include <gmock/gmock.h>

#include "tests/core/sources/postgres_source_fixture.hpp"

namespace leadsync::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kLeadsTable =
    "CREATE TABLE leads (id serial PRIMARY KEY, email text, updated_at timestamptz NOT NULL "
    "DEFAULT clock_timestamp())";
constexpr const char* kByUpdatedAt =
    "SELECT email AS \"EmailAddress\", updated_at FROM leads WHERE updated_at >= $1 ORDER BY updated_at";
// The same query, held at an advisory lock the test can take first.
constexpr const char* kGated =
    "WITH gate AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(42)) "
    "SELECT email AS \"EmailAddress\", updated_at FROM leads, gate WHERE updated_at >= $1 ORDER BY "
    "updated_at";
constexpr const char* kPassword = "s3cr3t-pw";

void Insert(PgSession& db, const std::string& email, const std::string& updated_at) {
  db.Exec("INSERT INTO leads(email, updated_at) VALUES ('" + email + "', '" + updated_at + "')");
}

void InsertThree(PgSession& db) {
  Insert(db, "one@x.com", "2024-01-01 00:00:01+00");
  Insert(db, "two@x.com", "2024-01-01 00:00:02+00");
  Insert(db, "three@x.com", "2024-01-01 00:00:03+00");
}

// Whether the source's query is waiting for the test's advisory lock.
bool SourceWaitsOnTheGate(PgSession& db) {
  return db.Scalar(
             "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'leadsync' "
             "AND wait_event_type = 'Lock'") == "1";
}

TEST_F(PostgresSourceTest, ReconnectsAfterTheServerRestarts) {
  StartServer();
  db_->Exec(kLeadsTable);
  Insert(*db_, "before@x.com", "2024-01-01 00:00:01+00");
  config::Source source = Source(kByUpdatedAt);
  Settings(source).dsn = server_->dsn(std::string("password=") + kPassword);
  Start(source);
  ASSERT_TRUE(DeliveredTimes({"before@x.com"}));

  db_.reset();
  server_->Stop();
  ASSERT_TRUE(Eventually([&] { return !Errors().empty(); })) << "the lost server is reported";
  server_->Start();
  db_ = std::make_unique<PgSession>(server_->dsn());
  Insert(*db_, "after@x.com", "2024-01-01 00:00:02+00");
  ASSERT_TRUE(DeliveredTimes({"after@x.com"}));

  EXPECT_EQ(TimesSent("before@x.com"), 1);
  for (const std::string& error : Errors()) {
    EXPECT_THAT(error, Not(HasSubstr(kPassword)));
    EXPECT_THAT(error, HasSubstr("retrying in"));
  }
  EXPECT_THAT(Errors().front(), HasSubstr("connection lost"));
}

// A server that refuses the connection stops the source: it says it is not
// working (the daemon marks it down), polls again after twice the interval,
// then four times, on its clock, and says it works once a poll succeeds.
TEST_F(PostgresSourceTest, UnreachableServerIsNotWorkingAndRetriedWithBackoffOnItsClock) {
  StartServer();
  db_->Exec(kLeadsTable);
  Insert(*db_, "waiting@x.com", "2024-01-01 00:00:01+00");
  db_.reset();
  server_->Stop();
  Start(Source(kByUpdatedAt));  // interval 100 ms
  ASSERT_TRUE(WaitFor([&] { return source_->polls() == 1; }, kTimeout));
  EXPECT_EQ(Working(), std::vector<bool>{false});
  ASSERT_EQ(Errors().size(), 1u);
  EXPECT_THAT(Errors().front(), HasSubstr("retrying in"));
  const std::optional<Duration> first = NextWait();
  ASSERT_TRUE(first);
  EXPECT_GE(*first, 180ms);
  EXPECT_LE(*first, 220ms);

  AdvanceClock(*first - 1ms);
  EXPECT_FALSE(WaitFor([&] { return source_->polls() > 1; }, 200ms)) << "polled again before the backoff";
  AdvanceClock(1ms);
  ASSERT_TRUE(WaitFor([&] { return source_->polls() == 2; }, kTimeout));
  const std::optional<Duration> second = NextWait();
  ASSERT_TRUE(second);
  EXPECT_GE(*second, 360ms);
  EXPECT_LE(*second, 440ms);
  EXPECT_EQ(Working(), (std::vector<bool>{false, false}));

  server_->Start();
  ASSERT_TRUE(DeliveredTimes({"waiting@x.com"}));
  EXPECT_TRUE(Working().back());
  ASSERT_TRUE(WaitFor([&] { return NextWait().has_value(); }, kTimeout));
  EXPECT_LE(*NextWait(), 110ms) << "back to the interval";
}

// After a poll that succeeds, the next comes one interval (±10%) later on
// the source's clock, and not before.
TEST_F(PostgresSourceTest, PollsOnceEveryIntervalOfItsClock) {
  StartServer();
  db_->Exec(kLeadsTable);
  Start(Source(kByUpdatedAt));
  ASSERT_TRUE(WaitFor([&] { return source_->polls() == 1 && NextWait().has_value(); }, kTimeout));
  const Duration interval = *NextWait();
  EXPECT_GE(interval, 90ms);
  EXPECT_LE(interval, 110ms);
  EXPECT_EQ(Working(), std::vector<bool>{true});

  Insert(*db_, "next@x.com", "2024-01-01 00:00:01+00");
  EXPECT_FALSE(WaitFor([&] { return source_->polls() > 1; }, 200ms)) << "polled before the interval";
  AdvanceClock(interval);
  ASSERT_TRUE(WaitFor(
      [&] {
        static_cast<void>(Deliver());
        return TimesSent("next@x.com") == 1;
      },
      kTimeout));
  EXPECT_EQ(source_->polls(), 2);
}

TEST_F(PostgresSourceTest, BrokenQueryIsReportedAndRetriedUntilItWorks) {
  StartServer();
  Start(Source("SELECT email AS \"EmailAddress\", updated_at FROM missing_table WHERE updated_at >= $1"));
  ASSERT_TRUE(Eventually([&] { return Errors().size() >= 2; }));
  EXPECT_THAT(Errors().front(), HasSubstr("query failed: relation \"missing_table\" does not exist"));
  EXPECT_THAT(Errors().front(), HasSubstr("SQLSTATE 42P01"));

  db_->Exec("CREATE TABLE missing_table (email text, updated_at timestamptz NOT NULL)");
  db_->Exec("INSERT INTO missing_table VALUES ('found@x.com', '2024-01-01 00:00:01+00')");
  ASSERT_TRUE(DeliveredTimes({"found@x.com"}));
  EXPECT_FALSE(finished_.load()) << "Run() ended: " << run_error_.value_or("without an error");
}

TEST_F(PostgresSourceTest, QueryWithoutTheCursorColumnIsReported) {
  StartServer();
  db_->Exec(kLeadsTable);
  Start(Source("SELECT email AS \"EmailAddress\" FROM leads WHERE updated_at >= $1"));
  ASSERT_TRUE(Eventually([&] { return !Errors().empty(); }));
  EXPECT_THAT(Errors().front(), HasSubstr("updated_at"));
}

TEST_F(PostgresSourceTest, SourceResetWhileRunningResendsFromTheResetPosition) {
  StartServer();
  db_->Exec(kLeadsTable);
  InsertThree(*db_);
  Start(Source(kByUpdatedAt));
  ASSERT_TRUE(DeliveredTimes({"one@x.com", "two@x.com", "three@x.com"}));

  OnQueue([](Queue& q) { q.ResetCheckpoint(kSourceName, "2024-01-01 00:00:02+00"); });
  ASSERT_TRUE(DeliveredTimes({"two@x.com", "three@x.com"}, 2));
  PollsMore(2);
  EXPECT_EQ(TimesSent("one@x.com"), 1);

  OnQueue([](Queue& q) { q.ResetCheckpoint(kSourceName, std::nullopt); });  // back to cursor_start
  ASSERT_TRUE(DeliveredTimes({"one@x.com"}, 2));
  ASSERT_TRUE(DeliveredTimes({"two@x.com", "three@x.com"}, 3));
  EXPECT_TRUE(Errors().empty());
}

TEST_F(PostgresSourceTest, ResetWhileAPageIsInFlightDiscardsThatPage) {
  StartServer();
  db_->Exec(kLeadsTable);
  InsertThree(*db_);
  PgSession gate(server_->dsn());
  gate.Exec("SELECT pg_advisory_lock(42)");
  Start(Source(kGated));
  ASSERT_TRUE(Eventually([&] { return SourceWaitsOnTheGate(*db_); }));

  // The poll in flight read its position before the reset: its page, from
  // -infinity, must not be committed over the new position.
  OnQueue([](Queue& q) { q.ResetCheckpoint(kSourceName, "2024-01-01 00:00:02+00"); });
  gate.Exec("SELECT pg_advisory_unlock(42)");
  ASSERT_TRUE(DeliveredTimes({"two@x.com", "three@x.com"}));
  PollsMore(2);
  EXPECT_EQ(TimesSent("one@x.com"), 0);
  EXPECT_EQ(CheckpointValue(), "2024-01-01 00:00:03+00");
}

TEST_F(PostgresSourceTest, StopCancelsAQueryInProgress) {
  StartServer();
  db_->Exec(kLeadsTable);
  PgSession gate(server_->dsn());
  gate.Exec("SELECT pg_advisory_lock(42)");
  Start(Source(kGated));
  ASSERT_TRUE(Eventually([&] { return SourceWaitsOnTheGate(*db_); }));
  StopSource();  // expects Run() to return within seconds, the lock still held
  EXPECT_TRUE(finished_);
  EXPECT_TRUE(Errors().empty()) << "a cancellation on request is not an error";
}

TEST_F(PostgresSourceTest, BackpressurePausesPollingAndResumesOnceTheQueueDrains) {
  StartServer();
  db_->Exec(kLeadsTable);
  const std::vector<std::string> emails = {"a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"};
  for (std::size_t i = 0; i < emails.size(); ++i) {
    Insert(*db_, emails[i], "2024-01-01 00:00:0" + std::to_string(i + 1) + "+00");
  }
  boost::asio::post(io_, [this] { backpressure_.SetLimit(2); });
  Start(Source(std::string(kByUpdatedAt) + " LIMIT 2"));
  // Each time: two rows committed, then no poll until the test drains them.
  const auto paused_at_limit = [&] {
    return source_->paused() && OnQueue([](Queue& q) { return q.Stats().pending; }) == 2;
  };
  ASSERT_TRUE(Eventually(paused_at_limit));
  EXPECT_EQ(Deliver().size(), 2u);
  ASSERT_TRUE(Eventually(paused_at_limit)) << "resumed once drained, and paused again";
  const std::map<std::string, Sent> second = Deliver();
  EXPECT_EQ(second.size(), 2u);
  EXPECT_TRUE(second.contains("c@x.com") && second.contains("d@x.com"));
  ASSERT_TRUE(DeliveredTimes(emails));
  EXPECT_TRUE(Errors().empty());
}

}  // namespace
}  // namespace leadsync::testing
