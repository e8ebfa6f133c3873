// Retention on simulated time, against a real SQLite queue file: the prune
// task deletes dead letters and journal entries once past their age, and
// counts them in leadsync_records_pruned_total{kind}.
#include "daemon/retention.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"
#include "core/tasks/periodic_task.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr auto kDay = hours(24);

class RetentionTest : public ::testing::Test {
 protected:
  RetentionTest() : service_(OpenQueue(QueueOptionsFor(dir_)), QueueService::Threading::kInline) {}

  static QueueOptions QueueOptionsFor(const TempDir& dir) {
    QueueOptions options;
    options.path = dir / "queue.db";
    options.sync_full = false;
    return options;
  }

  void Start(Duration history, Duration dead_letter_retention) {
    settings_.history = history;
    settings_.dead_letter_retention = dead_letter_retention;
    retention_.emplace(service_, metrics_, clock_, settings_);
    task_.emplace(PeriodicTaskOptions{"prune", daemon::Retention::kPeriod, minutes(1), 0.1}, clock_,
                  TaskEvents{}, [this] { return retention_->Prune(); });
    boost::asio::co_spawn(io_, task_->Run(), boost::asio::detached);
  }

  void RunFor(Duration d) {
    const TimePoint until = clock_.Now() + d;
    ASSERT_TRUE(RunSimulated(
        io_, clock_, [&] { return clock_.Now() >= until; }, d + kDay));
  }

  void AddDeadLetter(const std::string& email) {
    const Rejection rejection{.source = "spool",
                              .key = "emailaddress:" + email,
                              .location = "f.csv:2",
                              .reason = "field Phone: not a number",
                              .record = "[]",
                              .category = "bad_value"};
    (void)service_.queue().Enqueue({}, std::span(&rejection, 1), std::nullopt, clock_.Now());
  }

  // A journal entry written now, as a settled delivery writes it.
  void AddHistory(const std::string& email) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "queue.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        "INSERT INTO history(key, at, status, lead_id, created, updated, attributes) VALUES('emailaddress:" +
        email + "', " + std::to_string(ToUnixMillis(clock_.Now())) + ", 200, 'L1', 1, 0, '[]')";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::size_t HistoryOf(const std::string& email) {
    return service_.queue().History("emailaddress:" + email).size();
  }

  std::vector<std::string> DeadLetterKeys() {
    std::vector<std::string> keys;
    for (const DeadLetterEntry& e : service_.queue().DeadLetters()) keys.push_back(e.key);
    return keys;
  }

  bool Pruned(const std::string& kind, int n) const {
    return metrics_.Serialize().find("leadsync_records_pruned_total{kind=\"" + kind + "\"} " +
                                     std::to_string(n)) != std::string::npos;
  }

  TempDir dir_;
  boost::asio::io_context io_;
  ManualClock clock_{io_.get_executor()};
  Metrics metrics_{{}};
  QueueService service_;
  config::Queue settings_;
  std::optional<daemon::Retention> retention_;
  std::optional<PeriodicTask> task_;
};

TEST_F(RetentionTest, DeadLettersAndJournalEntriesGoOncePastTheirAge) {
  Start(14 * kDay, 30 * kDay);
  EXPECT_TRUE(Pruned("dead_letter", 0) && Pruned("history", 0)) << "exported from the start";
  AddDeadLetter("old@x.com");
  AddHistory("old@x.com");

  RunFor(20 * kDay);
  EXPECT_EQ(HistoryOf("old@x.com"), 0u) << "older than queue.history";
  EXPECT_EQ(DeadLetterKeys(), std::vector<std::string>{"emailaddress:old@x.com"}) << "20 days < 30";
  EXPECT_TRUE(Pruned("history", 1) && Pruned("dead_letter", 0)) << metrics_.Serialize();
  AddDeadLetter("new@x.com");
  AddHistory("new@x.com");

  RunFor(11 * kDay);
  EXPECT_EQ(DeadLetterKeys(), std::vector<std::string>{"emailaddress:new@x.com"});
  EXPECT_EQ(service_.queue().DeadLetterCount(), 1);
  EXPECT_EQ(HistoryOf("new@x.com"), 1u);
  EXPECT_TRUE(Pruned("dead_letter", 1) && Pruned("history", 1)) << metrics_.Serialize();
  task_->Stop();
}

TEST_F(RetentionTest, ZeroKeepsDeadLettersForever) {
  Start(14 * kDay, Duration::zero());
  AddDeadLetter("old@x.com");
  RunFor(400 * kDay);
  EXPECT_EQ(DeadLetterKeys(), std::vector<std::string>{"emailaddress:old@x.com"});
  EXPECT_TRUE(Pruned("dead_letter", 0)) << metrics_.Serialize();
  task_->Stop();
}

}  // namespace
}  // namespace leadsync::testing
