// Local users can reach loopback ports: a flood of idle connections against
// `leadsync run` with few descriptors must neither silence /healthz nor stop
// the spool (the metrics and webhook servers cap their connections).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"
#include "tests/support/webhook_stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The "Max open files" soft limit of process `pid`, as /proc shows it.
std::string OpenFilesLimit(pid_t pid) {
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(limits, line);) {
    if (line.starts_with("Max open files")) return line;
  }
  return "";
}

std::vector<std::unique_ptr<RawClient>> Flood(std::uint16_t port, int connections) {
  std::vector<std::unique_ptr<RawClient>> flood;
  for (int i = 0; i < connections; ++i) flood.push_back(std::make_unique<RawClient>(port));
  return flood;
}

TEST(ServerFlood, IdleConnectionsBeyondTheDescriptorLimitLeaveHealthzAndTheSpoolWorking) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  const auto config = WriteWebhookConfig(dir, sandbox.url(), {.metrics_port = metrics});
  Process daemon({"/usr/bin/prlimit", "--nofile=1024", LEADSYNC_BINARY, "run", "-c", config.string()});
  std::string log;
  const std::uint16_t webhook = WebhookPort(daemon, log);
  ASSERT_NE(webhook, 0) << log;
  ASSERT_NE(OpenFilesLimit(daemon.pid()).find(" 1024 "), std::string::npos) << OpenFilesLimit(daemon.pid());

  // 1100 on each server: more than the daemon has descriptors.
  auto on_metrics = Flood(metrics, 1100);
  auto on_webhook = Flood(webhook, 1100);
  for (int probe = 0; probe < 5; ++probe) {
    const auto start = std::chrono::steady_clock::now();
    const HttpResult health = HttpRequest(metrics, "GET", "/healthz");
    EXPECT_EQ(health.status, 200);
    // Answered, not held behind the flood (a daemon out of descriptors never
    // answers): a wide bound, since a loaded machine under ASan took 1.5 s.
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  }
  const HttpResult posted =
      HttpRequest(webhook, "POST", "/v1/leads", R"({"EmailAddress":"hook@example.com"})",
                  {{"Authorization", std::string("Bearer ") + kWebhookToken}});
  EXPECT_EQ(posted.status, 202) << posted.body;
  DropFile(dir / "spool", "during-flood.csv", "EmailAddress,FirstName\nflood@example.com,Flo\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 2; }, seconds(20)));
  EXPECT_EQ(SandboxLeads(sandbox.port())["flood@example.com"]["FirstName"], "Flo");

  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(seconds(20)), 0);
  log += daemon.Stderr();
  EXPECT_EQ(log.find("Too many open files"), std::string::npos) << log;
}

}  // namespace
}  // namespace leadsync::testing
