// leadsync run against leadsync sandbox, over real sockets and a real queue file.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kCsv =
    "EmailAddress,FirstName,LastName,mx_City,mx_KYC.Status\n"
    "ada@example.com,Ada,Lovelace,London,Pending\n"
    "\"alan@example.com\",\"Alan, Mathison\",Turing,Wilmslow,\n"
    "grace@example.com,Grace,Hopper,Arlington,Verified\n";
constexpr const char* kJsonl =
    "{\"EmailAddress\":\"ADA@example.com\",\"mx_City\":\"Marylebone\",\"mx_KYC\":{\"Level\":\"2\"}}\n"
    "{\"EmailAddress\":\"edsger@example.com\",\"FirstName\":\"Edsger\",\"mx_Score\":97}\n";
constexpr const char* kJson =
    "[[{\"Attribute\":\"EmailAddress\",\"Value\":\"grace@example.com\"},"
    "{\"Attribute\":\"mx_KYC\",\"Value\":\"\",\"Fields\":[{\"Attribute\":\"Status\",\"Value\":\"Expired\"}]}]"
    ","
    "{\"EmailAddress\":\"barbara@example.com\",\"FirstName\":\"Barbara\",\"mx_Active\":true}]\n";

void DropMixedFiles(const TempDir& dir) {
  DropFile(dir / "spool", "1-signups.csv", kCsv);
  DropFile(dir / "spool", "2-events.jsonl", kJsonl);
  DropFile(dir / "spool", "3-batch.json", kJson);
}

void ExpectFinalValues(std::uint16_t port) {
  auto leads = SandboxLeads(port);
  ASSERT_EQ(leads.size(), 5u);
  EXPECT_EQ(leads["ada@example.com"]["mx_City"], "Marylebone");
  EXPECT_EQ(leads["ada@example.com"]["FirstName"], "Ada");
  EXPECT_EQ(leads["ada@example.com"]["mx_KYC.Status"], "Pending");
  EXPECT_EQ(leads["ada@example.com"]["mx_KYC.Level"], "2");
  EXPECT_EQ(leads["alan@example.com"]["FirstName"], "Alan, Mathison");
  EXPECT_EQ(leads["alan@example.com"].count("mx_KYC.Status"), 0u);  // an empty cell clears nothing
  EXPECT_EQ(leads["grace@example.com"]["mx_KYC.Status"], "Expired");
  EXPECT_EQ(leads["edsger@example.com"]["mx_Score"], "97");
  EXPECT_EQ(leads["barbara@example.com"]["mx_Active"], "true");
}

bool AllDelivered(std::uint16_t port, std::size_t leads) {
  try {
    return SandboxLeads(port).size() == leads;
  } catch (const std::exception&) {
    return false;
  }
}

std::string StatsJson(const std::filesystem::path& config) {
  return Leadsync({"queue", "-c", config.string(), "stats", "--json"}).out;
}

TEST(Delivery, SpoolOfMixedFilesReachesTheSandboxWithExactValues) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 100ms\n");
  auto daemon = StartDaemon(config);
  DropMixedFiles(dir);
  ASSERT_TRUE(WaitFor([&] { return AllDelivered(sandbox.port(), 5); }, seconds(30))) << daemon->Stderr();
  ExpectFinalValues(sandbox.port());
  ASSERT_TRUE(
      WaitFor([&] { return StatsJson(config).find("\"pending\":0,") != std::string::npos; }, seconds(10)));
  EXPECT_TRUE(std::filesystem::exists(dir / "spool" / "done" / "2-events.jsonl"));
  // The journal: what was sent for ada, newest first, with the answer.
  RunResult history = Leadsync({"history", "-c", config.string(), "ADA@example.com", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("\"status\":200"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("\"Value\":\"Marylebone\""), std::string::npos) << history.out;
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

TEST(Delivery, ServerErrorsAndRateLimitsAreRetriedUntilDelivered) {
  TempDir dir;
  SandboxProcess sandbox(
      {"--error-rate", "0.3", "--throttle-rate", "0.2", "--reset-rate", "0.2", "--seed", "3"});
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(),
      "  linger: 50ms\n  batch_size: 2\n  retry: { initial_backoff: 50ms, max_backoff: 400ms }\n");
  auto daemon = StartDaemon(config);
  DropMixedFiles(dir);
  ASSERT_TRUE(WaitFor([&] { return AllDelivered(sandbox.port(), 5); }, seconds(60))) << daemon->Stderr();
  ExpectFinalValues(sandbox.port());
  EXPECT_GT(SandboxNumber(sandbox.port(), "status:500"), 0);
  EXPECT_GT(SandboxNumber(sandbox.port(), "status:429"), 0);
  EXPECT_GT(SandboxNumber(sandbox.port(), "resets"), 0);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

TEST(Delivery, KillAndRestartInTheMiddleLosesNothing) {
  TempDir dir;
  SandboxProcess sandbox({"--latency", "150"});
  const auto config =
      WriteDaemonConfig(dir, sandbox.url(), "  linger: 20ms\n  batch_size: 5\n  max_in_flight: 2\n");
  std::string csv = "EmailAddress,FirstName\n";
  for (int i = 0; i < 200; ++i)
    csv += "user" + std::to_string(i) + "@example.com,Name" + std::to_string(i) + "\n";
  DropFile(dir / "spool", "many.csv", csv);
  {
    auto daemon = StartDaemon(config);
    ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox.port(), "status:200") >= 3; }, seconds(30)));
    daemon->Signal(SIGKILL);
    ASSERT_EQ(daemon->Wait(seconds(10)), 128 + SIGKILL);
  }
  ASSERT_LT(SandboxLeads(sandbox.port()).size(), 200u) << "the kill came too late to test anything";
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return AllDelivered(sandbox.port(), 200); }, seconds(60))) << daemon->Stderr();
  auto leads = SandboxLeads(sandbox.port());
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(leads["user" + std::to_string(i) + "@example.com"]["FirstName"], "Name" + std::to_string(i));
  }
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
