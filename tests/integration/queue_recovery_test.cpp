// The queue file as the daemon meets it in the field: a row damaged on disk,
// a dead letter replayed over a newer change, a backlog of a million.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "tests/support/http.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

void Sql(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// The dead letters, or none while the daemon has not created the queue yet.
std::size_t DeadLetterCount(const std::filesystem::path& config) {
  const RunResult result = Leadsync({"dlq", "-c", config.string(), "list", "--json"});
  return result.exit_code == 0 ? json::parse(result.out).as_array().size() : 0;
}

json::value Json(const RunResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return json::parse(result.out);
}

void StopCleanly(Process& daemon) {
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(seconds(30)), 0) << daemon.Stderr();
}

TEST(QueueRecovery, DamagedRowIsDeadLetteredAndDispatchGoesOn) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n", metrics);
  const RunResult enqueued = Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"},
                                      "EmailAddress,FirstName\na@x.com,A\nb@x.com,B\nc@x.com,C\n");
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
  Sql(dir / "queue.db", "UPDATE records SET lead = '[{\"Attribute\":' WHERE key = 'emailaddress:b@x.com'");
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 2; }, seconds(20)))
      << daemon->Stderr();
  const json::array dead = Json(Leadsync({"dlq", "-c", config.string(), "list", "--json"})).as_array();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].at("reason").as_string(), "unreadable");
  EXPECT_EQ(dead[0].at("key").as_string(), "emailaddress:b@x.com");
  EXPECT_EQ(HttpRequest(metrics, "GET", "/readyz").status, 200);
  EXPECT_NE(HttpRequest(metrics, "GET", "/metrics")
                .body.find("leadsync_records_delivered_total{result=\"created\"} 2"),
            std::string::npos);
  StopCleanly(*daemon);
}

// The dead letter is the older change: replayed after a newer one arrived,
// LeadSquared gets the newer FirstName and keeps what only the old one had.
TEST(QueueRecovery, ReplayNeverSendsStaleValues) {
  TempDir dir;
  SandboxProcess sandbox({"--poison", "POISON"});
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  DropFile(dir / "spool", "old.csv", "EmailAddress,FirstName,City\nann@x.com,Old POISON,Pune\n");
  {
    auto daemon = StartDaemon(config);
    ASSERT_TRUE(WaitFor([&] { return DeadLetterCount(config) == 1; }, seconds(20))) << daemon->Stderr();
    StopCleanly(*daemon);
  }
  const RunResult newer = Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"},
                                   "EmailAddress,FirstName\nann@x.com,New\n");
  ASSERT_EQ(newer.exit_code, 0) << newer.err;
  ASSERT_EQ(Leadsync({"dlq", "-c", config.string(), "replay", "--all"}).exit_code, 0);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).count("ann@x.com") == 1; }, seconds(20)))
      << daemon->Stderr();
  const LeadView ann = SandboxLeads(sandbox.port()).at("ann@x.com");
  EXPECT_EQ(ann.at("FirstName"), "New");
  EXPECT_EQ(ann.at("City"), "Pune");
  EXPECT_EQ(SandboxNumber(sandbox.port(), "calls"), 1 + 1) << "the poisoned call, then one merged record";
  StopCleanly(*daemon);

  // `history` takes the key as `dlq list` prints it, as well as the e-mail.
  for (const std::string key : {"ann@x.com", "emailaddress:ann@x.com", "EmailAddress:ANN@x.com"}) {
    const json::array history = Json(Leadsync({"history", "-c", config.string(), key, "--json"})).as_array();
    ASSERT_EQ(history.size(), 2u) << key;
    EXPECT_EQ(history[0].at("status").as_int64(), 200);
    EXPECT_EQ(history[1].at("status").as_int64(), 400);
    EXPECT_NE(history[1].at("message").as_string().find("Invalid value in a record"), json::string::npos)
        << history[1];
  }
}

// A million pending (a first backfill): dispatch starts, counts stay right,
// and the file stays consistent. Its speed is measured by bench/dispatch.sh.
TEST(QueueRecovery, MillionRecordBacklogDispatches) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "100000/1"});
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(), "  linger: 0s\n  max_in_flight: 8\n  rate_limit: { requests: 100000, per: 1s }\n",
      metrics);
  ASSERT_EQ(Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, "EmailAddress\nseed@x.com\n")
                .exit_code,
            0);
  Sql(dir / "queue.db",
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 999999) "
      "INSERT INTO records(key, source, lead, state, first_seen) "
      "SELECT 'emailaddress:m' || i || '@x.com', 'spool', "
      "'[{\"Attribute\":\"EmailAddress\",\"Value\":\"m' || i || '@x.com\"}]', 0, 1700000000000 + i FROM n; "
      "UPDATE counts SET value = value + 999999 WHERE name IN ('state0', 'priority1');");
  EXPECT_EQ(Json(Leadsync({"queue", "-c", config.string(), "stats", "--json"})).at("pending").as_int64(),
            1'000'000);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox.port(), "leads") >= 10'000; }, seconds(120)))
      << daemon->Stderr();
  StopCleanly(*daemon);
  const std::int64_t delivered = SandboxNumber(sandbox.port(), "leads");
  const json::value stats = Json(Leadsync({"queue", "-c", config.string(), "stats", "--json"}));
  EXPECT_EQ(stats.at("pending").as_int64() + delivered, 1'000'000);
  EXPECT_EQ(stats.at("in_flight").as_int64(), 0);
  EXPECT_EQ(Leadsync({"queue", "-c", config.string(), "check"}).exit_code, 0);
}

}  // namespace
}  // namespace leadsync::testing
