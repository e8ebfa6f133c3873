// The real binary against a sandbox that refuses the way real accounts do:
// under HTTP 429, 403 or 200, always stating the account's limit.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/http.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

std::string Csv(int n) {
  std::string csv = "EmailAddress,FirstName\n";
  for (int i = 0; i < n; ++i) csv += "r" + std::to_string(i) + "@example.com,Name" + std::to_string(i) + "\n";
  return csv;
}

double MetricValue(std::uint16_t port, const std::string& series) {
  const std::string text = HttpRequest(port, "GET", "/metrics").body;
  const auto at = text.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 2));
}

class RefusalForm : public ::testing::TestWithParam<std::string> {};

// Configured at 25 per 5 s against an account allowing 10: the first
// refusal states the limit, and from then on the daemon stays within it.
// A 403 refusal is not a pause; a 200 refusal is not a success.
TEST_P(RefusalForm, LearnsTheLimitFromTheRefusalAndNeverPauses) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "10/5", "--throttle-status", GetParam(), "--latency", "50"});
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  batch_size: 1\n  linger: 0s\n  max_in_flight: 4\n  rate_limit: { requests: 25, per: 5s }\n",
      metrics);
  DropFile(dir / "spool", "leads.csv", Csv(24));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 24; }, seconds(60)))
      << daemon->Stderr();
  EXPECT_EQ(MetricValue(metrics, "leadsync_dispatch_paused"), 0);
  EXPECT_EQ(MetricValue(metrics, "leadsync_rate_limit_effective"), 10);
  EXPECT_EQ(HttpRequest(metrics, "GET", "/readyz").status, 200);
  // The refusals are those of the first burst, already in flight when the
  // first one came back: at most the in-flight calls.
  EXPECT_GE(SandboxNumber(sandbox.port(), "refusals"), 1);
  EXPECT_LE(SandboxNumber(sandbox.port(), "refusals"), 4);
  EXPECT_EQ(SandboxNumber(sandbox.port(), "max_calls_in_window"), 10);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

INSTANTIATE_TEST_SUITE_P(Dispatch, RefusalForm, ::testing::Values("429", "403", "200"));

// Random refusals (another integration on the same keys) are retried
// without cutting the rate: everything arrives, nothing pauses.
TEST(Dispatch, RandomRefusalsAreRetriedWithoutPausing) {
  TempDir dir;
  SandboxProcess sandbox({"--throttle-rate", "0.3", "--throttle-status", "403", "--seed", "7"});
  const std::uint16_t metrics = FreePort();
  const auto config =
      WriteDaemonConfig(dir, sandbox.url(), "  batch_size: 2\n  linger: 0s\n  max_in_flight: 2\n", metrics);
  DropFile(dir / "spool", "leads.csv", Csv(40));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 40; }, seconds(60)))
      << daemon->Stderr();
  EXPECT_GT(SandboxNumber(sandbox.port(), "refusals"), 0);
  EXPECT_EQ(MetricValue(metrics, "leadsync_dispatch_paused"), 0);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

}  // namespace
}  // namespace leadsync::testing
