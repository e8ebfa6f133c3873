// The daemon's own failures as systemd and a load balancer see them: a
// dispatcher that cannot use the queue is down, /readyz says why, and the
// watchdog stops being fed until it is back.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include "tests/support/http.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/stack.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Another process holding the queue's write lock (a stuck `sqlite3` shell,
// a backup tool): every write the daemon tries fails after its busy timeout.
class WriteLock final {
 public:
  explicit WriteLock(const std::filesystem::path& db_path) {
    EXPECT_EQ(sqlite3_open(db_path.c_str(), &db_), SQLITE_OK);
    // The daemon may be in the middle of a write transaction of its own.
    sqlite3_busy_timeout(db_, 10'000);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  ~WriteLock() { Release(); }
  void Release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(Watchdog, StopsWhileTheDispatcherIsDownAndResumesAfterItsRestart) {
  TempDir dir;
  // An API that refuses every connection keeps a record cycling through
  // claim and return, so the dispatcher writes to the queue every 100 ms (an
  // idle one only reads, which a writer's lock does not block under WAL).
  const std::string unreachable = "http://127.0.0.1:" + std::to_string(FreePort());
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(dir, unreachable,
                                        "  retry: { initial_backoff: 50ms, max_backoff: 100ms }\n", metrics);
  DropFile(dir / "spool", "one.csv", "EmailAddress\nwaiting@x.com\n");
  NotifySocket notify(dir / "notify.sock");
  auto daemon = StartNotifyingDaemon(config, notify, {"WATCHDOG_USEC=2000000"});
  ASSERT_TRUE(notify.NextLine("READY=1", seconds(20))) << daemon->Stderr();
  ASSERT_TRUE(notify.NextLine("WATCHDOG=1", seconds(10))) << daemon->Stderr();

  ASSERT_TRUE(WaitFor(
      [&] {
        return HttpRequest(metrics, "GET", "/metrics")
                   .body.find("leadsync_retries_total{reason=\"network\"}") != std::string::npos;
      },
      seconds(20)))
      << daemon->Stderr();
  WriteLock lock(dir / "queue.db");
  ASSERT_TRUE(WaitFor(
      [&] {
        const HttpResult ready = HttpRequest(metrics, "GET", "/readyz");
        return ready.status == 503 && ready.body.find("dispatcher") != std::string::npos;
      },
      seconds(30)))
      << daemon->Stderr();
  for (int i = 0; i < 10 && notify.NextLine("WATCHDOG=1", milliseconds(200)); ++i) {
  }
  EXPECT_FALSE(notify.NextLine("WATCHDOG=1", seconds(3))) << "a daemon whose dispatcher is down is not alive";
  EXPECT_EQ(HttpRequest(metrics, "GET", "/healthz").status, 200)
      << "the process and its queue thread still serve";

  lock.Release();
  ASSERT_TRUE(WaitFor([&] { return HttpRequest(metrics, "GET", "/readyz").status == 200; }, seconds(60)))
      << daemon->Stderr();
  EXPECT_TRUE(notify.NextLine("WATCHDOG=1", seconds(5)));
  const std::string text = HttpRequest(metrics, "GET", "/metrics").body;
  EXPECT_EQ(text.find("leadsync_task_failures_total{task=\"dispatcher\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("leadsync_task_failures_total{task=\"dispatcher\"}"), std::string::npos);

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(30)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
