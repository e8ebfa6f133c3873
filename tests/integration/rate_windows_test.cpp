// The real binary against a sandbox with several windows at once, as real
// accounts have them (a short bulk limit and a long cap): each window is
// learned from its own refusal, none is exceeded (measured by the sandbox),
// and a full long window is a wait, never a pause.
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

std::string Csv(int n) {
  std::string csv = "EmailAddress,FirstName\n";
  for (int i = 0; i < n; ++i) csv += "w" + std::to_string(i) + "@example.com,Name" + std::to_string(i) + "\n";
  return csv;
}

double MetricValue(std::uint16_t port, const std::string& series) {
  const std::string text = HttpRequest(port, "GET", "/metrics").body;
  const auto at = text.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 2));
}

json::array SandboxWindows(std::uint16_t port) {
  return json::parse(HttpRequest(port, "GET", "/sandbox/state").body).at("windows").as_array();
}

// Configured at 25 per 5 s against an account allowing 3 per second and 8
// per 4 s: one refusal teaches each window, the second never erases the
// first, and from then on neither window sees more calls than it allows.
TEST(RateWindows, LearnsEachWindowFromItsRefusalAndExceedsNone) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "3/1", "--rate-limit", "8/4", "--latency", "20"});
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  batch_size: 1\n  linger: 0s\n  max_in_flight: 2\n  rate_limit: { requests: 25, per: 5s }\n",
      metrics);
  DropFile(dir / "spool", "leads.csv", Csv(24));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 24; }, seconds(60)))
      << daemon->Stderr();
  // At most the calls in flight when each window's first refusal came back.
  EXPECT_GE(SandboxNumber(sandbox.port(), "refusals"), 2);
  EXPECT_LE(SandboxNumber(sandbox.port(), "refusals"), 4);
  const json::array windows = SandboxWindows(sandbox.port());
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_LE(windows[0].at("max_calls_in_window").as_int64(), 3);
  EXPECT_LE(windows[1].at("max_calls_in_window").as_int64(), 8);
  EXPECT_EQ(MetricValue(metrics, "leadsync_rate_limit_window_limit{window=\"1s\"}"), 3);
  EXPECT_EQ(MetricValue(metrics, "leadsync_rate_limit_window_limit{window=\"4s\"}"), 8);
  EXPECT_EQ(MetricValue(metrics, "leadsync_dispatch_paused"), 0);
  daemon->Signal(SIGTERM);
  ASSERT_EQ(daemon->Wait(seconds(20)), 0);
  // The learned windows are kept in the queue file: `queue stats` shows them.
  const json::value stats = json::parse(Leadsync({"queue", "-c", config.string(), "stats", "--json"}).out);
  const json::array& limits = stats.at("rate_limit").as_array();
  ASSERT_EQ(limits.size(), 3u) << json::serialize(stats);
  EXPECT_EQ(limits[0].at("window"), "1s");
  EXPECT_EQ(limits[0].at("limit"), 3);
  EXPECT_EQ(limits[1].at("window"), "4s");
  EXPECT_EQ(limits[1].at("limit"), 8);
  EXPECT_EQ(limits[2].at("window"), "5s");
}

// A cap of 6 calls an hour, used up: the daemon learns it from the first
// refusal and then waits. No call is spent probing, /readyz stays 200,
// nothing pauses and nothing is dead-lettered.
TEST(RateWindows, AFullLongWindowIsAWaitNotAFault) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "10/1", "--rate-limit", "6/3600"});
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  batch_size: 1\n  linger: 0s\n  max_in_flight: 1\n  rate_limit: { requests: 10, per: 1s }\n",
      metrics);
  DropFile(dir / "spool", "leads.csv", Csv(10));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(
      WaitFor([&] { return MetricValue(metrics, "leadsync_rate_limit_window_limit{window=\"3600s\"}") == 6; },
              seconds(30)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxLeads(sandbox.port()).size(), 6u);
  const std::int64_t calls = SandboxNumber(sandbox.port(), "calls");
  EXPECT_EQ(SandboxNumber(sandbox.port(), "refusals"), 1) << "one call in flight when the cap was stated";
  // The daemon counts every start, the refused one too: the window is full.
  EXPECT_GE(MetricValue(metrics, "leadsync_rate_limit_window_calls{window=\"3600s\"}"), 6);
  // The wait is measured where the calls arrive: none for the next seconds.
  EXPECT_FALSE(WaitFor([&] { return SandboxNumber(sandbox.port(), "calls") > calls; }, seconds(3)));
  EXPECT_EQ(HttpRequest(metrics, "GET", "/readyz").status, 200);
  EXPECT_EQ(MetricValue(metrics, "leadsync_dispatch_paused"), 0);
  EXPECT_EQ(MetricValue(metrics, "leadsync_queue_pending{priority=\"normal\"}"), 4);
  const json::value stats = json::parse(Leadsync({"queue", "-c", config.string(), "stats", "--json"}).out);
  EXPECT_TRUE(stats.at("rate_limit").as_array().back().at("full_until").is_string())
      << json::serialize(stats);
  EXPECT_EQ(stats.at("dead_letter"), 0);
  // The forecast counts the full cap: 4 calls at 6 an hour, not at 10 a second.
  EXPECT_GE(stats.at("priorities").at("normal").at("drain_seconds").to_number<double>(), 4 * 3600 / 6)
      << json::serialize(stats);
  EXPECT_TRUE(WaitFor(
      [&] {
        return MetricValue(metrics, "leadsync_backlog_drain_seconds{priority=\"normal\"}") >= 4 * 3600 / 6;
      },
      seconds(15)));
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

}  // namespace
}  // namespace leadsync::testing
