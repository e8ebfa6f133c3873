// One `leadsync run` per queue file: a second one, started beside a daemon
// with records in flight, leaves at once and moves nothing; the lock goes
// with its holder, however it ends.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kBatch = 5;
// The account's limit, in calls a second; the daemon is configured one
// under it, so that what the sandbox counts over the limit can only come
// from a second sender, not from scheduling delays on a loaded machine
// (the limiter's own precision is Dispatch.NeverExceedsTheRateLimit…'s).
constexpr int kRateLimit = 5;

std::string Csv(int n) {
  std::string csv = "EmailAddress\n";
  for (int i = 0; i < n; ++i) csv.append("l").append(std::to_string(i)).append("@example.com\n");
  return csv;
}

// Every record as "id state attempts not_before", read through a read-only
// connection of the test's own.
std::vector<std::string> Rows(const std::filesystem::path& db_path) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT id, state, attempts, not_before FROM records ORDER BY id", -1, &stmt,
                           nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::string row;
        for (int column = 0; column < 4; ++column)
          row += std::to_string(sqlite3_column_int64(stmt, column)) + " ";
        rows.push_back(row);
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

// Rows in state 1 (in flight).
int InFlight(const std::vector<std::string>& rows) {
  return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const std::string& row) {
    std::int64_t id = 0;
    int state = -1;
    std::istringstream(row) >> id >> state;
    return state == 1;
  }));
}

// Every thread of `pid` stopped (SIGSTOP takes effect after kill() returns).
bool Stopped(pid_t pid) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    const std::string stat = ReadFile(task.path() / "stat");
    const char state = stat[stat.rfind(')') + 2];
    if (state != 'T' && state != 't') return false;
  }
  return true;
}

json::value QueueStats(const std::filesystem::path& config) {
  const RunResult r = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  return r.exit_code == 0 ? json::parse(r.out) : json::object{{"pending", -1}, {"in_flight", -1}};
}

class QueueLockTest : public ::testing::Test {
 protected:
  // A daemon sending a backlog of `records`, kBatch a call, at most
  // kRateLimit - 1 calls a second, to a sandbox that takes 300 ms to answer
  // and counts calls over kRateLimit instead of refusing them.
  void StartBusy(std::uint16_t metrics_port = 0, int records = 100) {
    records_ = records;
    config_ = WriteDaemonConfig(dir_, sandbox_.url(),
                                "  batch_size: " + std::to_string(kBatch) +
                                    "\n  linger: 0s\n  max_in_flight: 3\n  rate_limit: { requests: " +
                                    std::to_string(kRateLimit - 1) + ", per: 1s }\n",
                                metrics_port);
    const RunResult enqueued =
        Leadsync({"enqueue", "-c", config_.string(), "--format", "csv", "-"}, Csv(records_));
    ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
    daemon_ = StartDaemon(config_);
  }

  // Stops the daemon (SIGSTOP) at a moment it has records in flight, so
  // that the queue file holds still while a second run is tried; returns
  // its rows then, once every call claimed has reached the sandbox.
  // The pause delays whatever call the daemon was about to write, which
  // the sandbox then sees later than the rate limiter timed it: the limit
  // is checked where nothing is paused.
  std::vector<std::string> FreezeWithRecordsInFlight() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (!WaitFor([&] { return InFlight(Rows(queue_)) > 0; }, seconds(20))) break;
      daemon_->Signal(SIGSTOP);
      EXPECT_TRUE(WaitFor([&] { return Stopped(daemon_->pid()); }, seconds(5)));
      std::vector<std::string> rows = Rows(queue_);
      const auto claimed_calls = (records_ - static_cast<int>(rows.size()) + InFlight(rows)) / kBatch;
      if (InFlight(rows) > 0 &&
          WaitFor([&] { return SandboxNumber(sandbox_.port(), "calls") == claimed_calls; },
                  milliseconds(500))) {
        return rows;
      }
      daemon_->Signal(SIGCONT);
    }
    ADD_FAILURE() << "never caught the daemon with records in flight\n" << daemon_->Stderr();
    return {};
  }

  // `leadsync run` beside the first daemon: exit 1 at once, naming it.
  void ExpectSecondRunRefused() {
    auto second = StartDaemon(config_);
    const std::optional<int> exit_code = second->Wait(seconds(15));
    ASSERT_EQ(exit_code, 1) << second->Stderr();
    const std::string expected =
        "queue " + queue_.string() + " in use by PID " + std::to_string(daemon_->pid());
    EXPECT_NE(second->Stderr().find(expected), std::string::npos) << second->Stderr();
  }

  // Waits for the whole backlog: each record sent once (one call per batch).
  void ExpectBacklogDeliveredOnce(Process& daemon) {
    ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox_.port(), "leads") == records_; }, seconds(60)))
        << daemon.Stderr();
    ASSERT_TRUE(WaitFor([&] { return QueueStats(config_).at("in_flight").as_int64() == 0; }, seconds(20)));
    EXPECT_EQ(QueueStats(config_).at("pending").as_int64(), 0);
    EXPECT_EQ(SandboxNumber(sandbox_.port(), "status:200"), records_ / kBatch) << "a batch was sent twice";
  }

  // No more than kRateLimit calls reached the sandbox in any second.
  void ExpectLimitHeld() {
    EXPECT_EQ(SandboxNumber(sandbox_.port(), "limit_violations"), 0);
    EXPECT_LE(SandboxNumber(sandbox_.port(), "max_arrivals_in_window"), kRateLimit);
  }

  void StopCleanly(Process& daemon) {
    daemon.Signal(SIGTERM);
    EXPECT_EQ(daemon.Wait(seconds(20)), 0) << daemon.Stderr();
  }

  TempDir dir_;
  SandboxProcess sandbox_{
      {"--rate-limit", std::to_string(kRateLimit) + "/1", "--observe-rate-limit", "--latency", "300"}};
  std::filesystem::path config_;
  std::filesystem::path queue_ = dir_ / "queue.db";
  std::unique_ptr<Process> daemon_;
  int records_ = 0;
};

TEST_F(QueueLockTest, SecondRunOnABusyQueueExitsAndMovesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartBusy());
  const std::vector<std::string> before = FreezeWithRecordsInFlight();
  ASSERT_FALSE(before.empty());
  ExpectSecondRunRefused();
  EXPECT_EQ(Rows(queue_), before) << "the second run changed the queue";
  daemon_->Signal(SIGCONT);
  ExpectBacklogDeliveredOnce(*daemon_);
  StopCleanly(*daemon_);
}

// The limit as the account sees it, with second runs tried again and again
// beside a daemon sending its backlog (nothing paused).
TEST_F(QueueLockTest, SecondRunsBesideASendingDaemonLeaveTheRateLimitHeld) {
  ASSERT_NO_FATAL_FAILURE(StartBusy(0, 200));
  int tries = 0;
  while (tries < 3 && WaitFor([&] { return InFlight(Rows(queue_)) > 0; }, seconds(10))) {
    ExpectSecondRunRefused();
    ++tries;
  }
  EXPECT_EQ(tries, 3) << "the backlog ended before the last try";
  ExpectBacklogDeliveredOnce(*daemon_);
  ExpectLimitHeld();
  StopCleanly(*daemon_);
}

// The original failure: the second run opened the queue and released the
// first one's in-flight records before finding its metrics port taken, so
// they were sent twice.
TEST_F(QueueLockTest, SecondRunWhoseMetricsPortIsTakenLeavesInFlightRecordsAlone) {
  ASSERT_NO_FATAL_FAILURE(StartBusy(FreePort()));
  const std::vector<std::string> before = FreezeWithRecordsInFlight();
  ASSERT_FALSE(before.empty());
  ExpectSecondRunRefused();
  EXPECT_EQ(Rows(queue_), before) << "the second run changed the queue";
  EXPECT_EQ(InFlight(Rows(queue_)), InFlight(before));
  daemon_->Signal(SIGCONT);
  ExpectBacklogDeliveredOnce(*daemon_);
  StopCleanly(*daemon_);
}

// SIGKILL: the kernel drops the lock with the process; the next run takes
// it and sends again what was left in flight (at least once).
TEST_F(QueueLockTest, AfterTheHolderIsKilledTheNextRunTakesTheQueueAndResendsItsInFlightRecords) {
  ASSERT_NO_FATAL_FAILURE(StartBusy());
  const std::vector<std::string> frozen = FreezeWithRecordsInFlight();
  ASSERT_FALSE(frozen.empty());
  daemon_->Signal(SIGKILL);
  ASSERT_EQ(daemon_->Wait(seconds(10)), 128 + SIGKILL);
  ASSERT_EQ(InFlight(Rows(queue_)), InFlight(frozen)) << "left in flight by the killed daemon";
  auto next = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox_.port(), "leads") == records_; }, seconds(60)))
      << next->Stderr();
  ASSERT_TRUE(WaitFor([&] { return QueueStats(config_).at("in_flight").as_int64() == 0; }, seconds(20)));
  EXPECT_EQ(QueueStats(config_).at("pending").as_int64(), 0);
  EXPECT_EQ(ReadFile(dir_ / "queue.db.lock"), std::to_string(next->pid()) + "\n");
  ExpectLimitHeld();
  StopCleanly(*next);
}

// A lock file whose PID is long gone (the holder died, the file stays) is
// taken over and rewritten.
TEST_F(QueueLockTest, StaleLockFileWithADeadPidDoesNotBlock) {
  Process gone({"/bin/true"});
  ASSERT_EQ(gone.Wait(seconds(10)), 0);
  WriteFile(dir_ / "queue.db.lock", std::to_string(gone.pid()) + "\n");
  config_ = WriteDaemonConfig(dir_, sandbox_.url(), "  linger: 0s\n");
  daemon_ = StartDaemon(config_);
  ASSERT_TRUE(WaitFor(
      [&] { return ReadFile(dir_ / "queue.db.lock") == std::to_string(daemon_->pid()) + "\n"; }, seconds(20)))
      << daemon_->Stderr();
  DropFile(dir_ / "spool", "in.csv", Csv(3));
  ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox_.port(), "leads") == 3; }, seconds(20)))
      << daemon_->Stderr();
  ExpectSecondRunRefused();
  StopCleanly(*daemon_);
}

// The commands that write open the queue without its lock, as before: the
// daemon runs on and delivers what they add.
TEST_F(QueueLockTest, WritingCommandsWorkBesideTheRunningDaemon) {
  config_ = WriteDaemonConfig(dir_, sandbox_.url(), "  linger: 0s\n");
  daemon_ = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(dir_ / "queue.db.lock"); }, seconds(20)))
      << daemon_->Stderr();
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"enqueue", "-c", config_.string(), "--format", "csv", "-"},
        {"dlq", "-c", config_.string(), "replay", "--all"},
        {"dlq", "-c", config_.string(), "purge", "--all"},
        {"source", "-c", config_.string(), "reset", "spool"}}) {
    const RunResult result = Leadsync(command, Csv(3));
    EXPECT_EQ(result.exit_code, 0) << command[0] << " " << command[3] << ": " << result.err;
  }
  ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox_.port(), "leads") == 3; }, seconds(20)))
      << daemon_->Stderr();
  StopCleanly(*daemon_);
}

}  // namespace
}  // namespace leadsync::testing
