// The dispatcher against the sandbox's fault modes, over real sockets.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "tests/support/http.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

std::string Csv(int n, const std::string& marker_for_7 = "") {
  std::string csv = "EmailAddress,FirstName\n";
  for (int i = 0; i < n; ++i) {
    csv += "p" + std::to_string(i) + "@example.com,Name" + std::to_string(i) + (i == 7 ? marker_for_7 : "") +
           "\n";
  }
  return csv;
}

// Before the daemon has created the queue file there are no stats: -1s.
json::value QueueStats(const std::filesystem::path& config) {
  RunResult r = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  if (r.exit_code != 0) return json::object{{"pending", -1}, {"in_flight", -1}};
  return json::parse(r.out);
}

json::array DeadLetters(const std::filesystem::path& config) {
  return json::parse(Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out).as_array();
}

bool Settled(const std::filesystem::path& config) {
  json::value stats = QueueStats(config);
  return stats.at("pending").as_int64() == 0 && stats.at("in_flight").as_int64() == 0;
}

void StopCleanly(Process& daemon) {
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(seconds(20)), 0) << daemon.Stderr();
}

void ExpectPoisonIsolated(const std::string& mode, int status, const std::string& exception) {
  TempDir dir;
  SandboxProcess sandbox({"--poison", "POISON", "--poison-mode", mode});
  const auto config =
      WriteDaemonConfig(dir, sandbox.url(), "  retry: { initial_backoff: 20ms, max_backoff: 100ms }\n");
  DropFile(dir / "spool", "batch.csv", Csv(25, " POISON"));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(
      WaitFor([&] { return Settled(config) && SandboxLeads(sandbox.port()).size() == 24; }, seconds(30)))
      << daemon->Stderr();
  json::array dead = DeadLetters(config);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].at("key").as_string(), "emailaddress:p7@example.com");
  EXPECT_EQ(dead[0].at("status").as_int64(), status);
  EXPECT_EQ(dead[0].at("exception_type").as_string(), exception);
  // One call, then halving: 25 → 13 → 7 → 4 → 2 → 1 costs two calls a level.
  const std::int64_t alone_retries = mode == "mx" ? 2 : 0;
  EXPECT_LE(SandboxNumber(sandbox.port(), "calls"), 1 + 10 + alone_retries);

  // Replayed while the server still refuses it: back in the store, tried again.
  const std::int64_t calls = SandboxNumber(sandbox.port(), "calls");
  const std::string id = std::to_string(dead[0].at("id").as_int64());
  ASSERT_EQ(Leadsync({"dlq", "-c", config.string(), "replay", id}).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return Settled(config) && DeadLetters(config).size() == 1; }, seconds(20)));
  EXPECT_GT(SandboxNumber(sandbox.port(), "calls"), calls);
  StopCleanly(*daemon);
}

TEST(Dispatch, PoisonRecordOn400EndsAloneInTheDeadLetterStore) {
  ExpectPoisonIsolated("400", 400, "MXInvalidInputException");
}

TEST(Dispatch, PoisonRecordWithMxExceptionEndsAloneAfterThreeTries) {
  ExpectPoisonIsolated("mx", 500, "MXDuplicateEntryException");
}

TEST(Dispatch, NeverExceedsTheRateLimitWithParallelRequests) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "4/1", "--observe-rate-limit", "--latency", "30"});
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  batch_size: 1\n  linger: 0s\n  max_in_flight: 8\n  rate_limit: { requests: 4, per: 1s }\n");
  DropFile(dir / "spool", "batch.csv", Csv(30));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 30; }, seconds(40)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxNumber(sandbox.port(), "limit_violations"), 0);
  EXPECT_EQ(SandboxNumber(sandbox.port(), "max_calls_in_window"), 4);
  EXPECT_EQ(SandboxNumber(sandbox.port(), "calls"), 30);
  StopCleanly(*daemon);
}

TEST(Dispatch, RestartDoesNotBurstIntoTheWindowItsPredecessorUsed) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "5/3", "--observe-rate-limit"});
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  batch_size: 1\n  linger: 0s\n  max_in_flight: 5\n  rate_limit: { requests: 5, per: 3s }\n");
  DropFile(dir / "spool", "batch.csv", Csv(12));
  {
    auto daemon = StartDaemon(config);
    ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox.port(), "calls") >= 5; }, seconds(20)));
    daemon->Signal(SIGKILL);
    ASSERT_EQ(daemon->Wait(seconds(10)), 128 + SIGKILL);
  }
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 12; }, seconds(30)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxNumber(sandbox.port(), "limit_violations"), 0);
  EXPECT_LE(SandboxNumber(sandbox.port(), "max_calls_in_window"), 5);
  StopCleanly(*daemon);
}

TEST(Dispatch, AdaptsToALowerServerLimitAndDeliversEverything) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "3/1"});
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  batch_size: 1\n  linger: 0s\n  max_in_flight: 4\n  rate_limit: { requests: 12, per: 1s }\n");
  DropFile(dir / "spool", "batch.csv", Csv(40));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 40; }, seconds(60)))
      << daemon->Stderr();
  // Halving on each refused window settles under the server's limit: a few
  // 429s, not one per record.
  EXPECT_GT(SandboxNumber(sandbox.port(), "status:429"), 0);
  EXPECT_LE(SandboxNumber(sandbox.port(), "status:429"), 12);
  StopCleanly(*daemon);
}

TEST(Dispatch, WrongKeysPauseWithoutLossAndAReloadResumes) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  pause_probe: 1h\n  linger: 0s\n", metrics);
  std::string yaml = ReadFile(config);
  const std::string right = "secret_key: sandbox-secret-key";
  WriteFile(config, yaml.replace(yaml.find(right), right.size(), "secret_key: wrong-secret"));
  DropFile(dir / "spool", "batch.csv", Csv(10));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return HttpRequest(metrics, "GET", "/readyz").status == 503; }, seconds(20)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxNumber(sandbox.port(), "status:401"), 1);  // one probe, then paused
  EXPECT_EQ(QueueStats(config).at("pending").as_int64(), 10);
  EXPECT_TRUE(DeadLetters(config).empty());
  EXPECT_NE(HttpRequest(metrics, "GET", "/metrics").body.find("leadsync_dispatch_paused 1"),
            std::string::npos);

  WriteFile(config,
            ReadFile(config).replace(ReadFile(config).find("wrong-secret"), 12, "sandbox-secret-key"));
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 10; }, seconds(20)))
      << daemon->Stderr();
  EXPECT_EQ(HttpRequest(metrics, "GET", "/readyz").status, 200);
  StopCleanly(*daemon);
}

TEST(Dispatch, InvalidReloadIsRefusedAndTheOldConfigKeepsRunning) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n", metrics);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return HttpRequest(metrics, "GET", "/healthz").status == 200; }, seconds(20)));
  const std::string good = ReadFile(config);
  WriteFile(config, good + "bogus_key: 1\n");
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return HttpRequest(metrics, "GET", "/metrics").body.find("leadsync_config_reload_failures_total 1") !=
               std::string::npos;
      },
      seconds(20)));
  DropFile(dir / "spool", "batch.csv", Csv(3));
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 3; }, seconds(20)))
      << daemon->Stderr();
  StopCleanly(*daemon);
}

TEST(Dispatch, SigtermCancelsSlowRequestsAtTheDeadlineAndKeepsTheirRecords) {
  TempDir dir;
  SandboxProcess sandbox({"--latency", "30000"});
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  std::string yaml = ReadFile(config);
  WriteFile(config, yaml.replace(yaml.find("shutdown_timeout: 5s"), 20, "shutdown_timeout: 1s"));
  DropFile(dir / "spool", "batch.csv", Csv(5));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return QueueStats(config).at("in_flight").as_int64() == 5; }, seconds(20)));
  const auto start = std::chrono::steady_clock::now();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(10));
  json::value stats = QueueStats(config);
  EXPECT_EQ(stats.at("pending").as_int64(), 5);
  EXPECT_EQ(stats.at("in_flight").as_int64(), 0);
}

TEST(Dispatch, KillNineAtSeveralPointsLosesNothing) {
  TempDir dir;
  SandboxProcess sandbox({"--latency", "100", "--latency-jitter", "100"});
  const auto config =
      WriteDaemonConfig(dir, sandbox.url(), "  linger: 10ms\n  batch_size: 4\n  max_in_flight: 3\n");
  DropFile(dir / "spool", "batch.csv", Csv(150));
  for (int kill_after : {2, 8, 16}) {
    auto daemon = StartDaemon(config);
    ASSERT_TRUE(
        WaitFor([&] { return SandboxNumber(sandbox.port(), "status:200") >= kill_after; }, seconds(30)));
    daemon->Signal(SIGKILL);
    ASSERT_EQ(daemon->Wait(seconds(10)), 128 + SIGKILL);
  }
  ASSERT_LT(SandboxLeads(sandbox.port()).size(), 150u) << "the kills came too late to test anything";
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 150; }, seconds(60)))
      << daemon->Stderr();
  auto leads = SandboxLeads(sandbox.port());
  for (int i = 0; i < 150; ++i) {
    EXPECT_EQ(leads["p" + std::to_string(i) + "@example.com"]["FirstName"], "Name" + std::to_string(i));
  }
  EXPECT_TRUE(WaitFor([&] { return Settled(config); }, seconds(10)));
  StopCleanly(*daemon);
}

}  // namespace
}  // namespace leadsync::testing
