// Priorities end to end: a signup overtakes a backfill on its way through the
// real daemon to the sandbox.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

std::string Csv(const std::string& prefix, int n) {
  std::string csv = "EmailAddress,FirstName\n";
  for (int i = 0; i < n; ++i)
    csv += prefix + std::to_string(i) + "@example.com,Name" + std::to_string(i) + "\n";
  return csv;
}

// A daemon under a 2-calls-a-second account, with a high-priority spool
// source "signup" at dir/signup.
std::filesystem::path WriteConfig(const TempDir& dir, const std::string& api_host) {
  const std::string yaml =
      "leadsquared:\n  api_host: " + api_host +
      "\n  access_key: sandbox-access-key\n  secret_key: sandbox-secret-key\n"
      "  rate_limit: { requests: 2, per: 1s }\nqueue:\n  path: " +
      (dir / "queue.db").string() +
      "\n  sync: normal\nsources:\n  - name: signup\n    type: spool\n    priority: high\n"
      "    path: " +
      (dir / "signup").string() + "\nmetrics:\n  listen: 127.0.0.1:0\nshutdown_timeout: 5s\n";
  const auto path = dir / "leadsync.yaml";
  WriteFile(path, yaml);
  std::filesystem::create_directories(dir / "signup");
  return path;
}

std::size_t Count(const std::map<std::string, LeadView>& leads, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& [email, lead] : leads) n += email.starts_with(prefix) ? 1 : 0;
  return n;
}

// 1000 backfill records take 20 s at 50 a second; the signups, queued after
// the backfill has started, reach the sandbox within a few calls of it.
TEST(Priority, SignupOvertakesALowPriorityBackfill) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "2/1"});
  const auto config = WriteConfig(dir, sandbox.url());
  WriteFile(dir / "backfill.csv", Csv("backfill", 1000));
  const RunResult enqueued =
      Leadsync({"enqueue", "-c", config.string(), "--priority", "low", (dir / "backfill.csv").string()});
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return Count(SandboxLeads(sandbox.port()), "backfill") >= 25; }, seconds(20)))
      << daemon->Stderr();
  DropFile(dir / "signup", "signups.csv", Csv("signup", 3));
  std::map<std::string, LeadView> leads;
  ASSERT_TRUE(WaitFor(
      [&] {
        leads = SandboxLeads(sandbox.port());
        return Count(leads, "signup") == 3;
      },
      seconds(30)))
      << daemon->Stderr();
  EXPECT_LT(Count(leads, "backfill"), 500u) << "the signups waited behind the backfill";
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
