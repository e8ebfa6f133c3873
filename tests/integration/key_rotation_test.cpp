// Rotating a key the daemon reads itself: a reload reads the file again and
// its log line names the secrets it re-read and which changed, never a value.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

TEST(KeyRotation, AReloadNamesTheSecretsItReReadAndWhichChanged) {
  TempDir dir;
  const std::string old_secret = "old-secret-5c1d";
  const std::string new_secret = "new-secret-9e7a";
  SandboxProcess sandbox({"--secret-key", new_secret});
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  std::string yaml = ReadFile(config);
  const std::string inline_key = "secret_key: sandbox-secret-key";
  WriteFile(config, yaml.replace(yaml.find(inline_key), inline_key.size(),
                                 "secret_key_file: " + (dir / "lsq-secret").string()));
  WriteSecretFile(dir / "lsq-secret", old_secret + "\n");
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return daemon->Stderr().find(" running: ") != std::string::npos; }, seconds(20)))
      << daemon->Stderr();

  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return daemon->Stderr().find("configuration reloaded") != std::string::npos; },
                      seconds(20)))
      << daemon->Stderr();
  EXPECT_NE(daemon->Stderr().find(
                "reload: secrets re-read: leadsquared.access_key, leadsquared.secret_key; changed: none"),
            std::string::npos)
      << daemon->Stderr();

  // The rotation: the sandbox accepts only the new key, which a lead now needs.
  WriteSecretFile(dir / "lsq-secret", new_secret + "\n");
  daemon->Signal(SIGHUP);
  EXPECT_TRUE(
      WaitFor([&] { return daemon->Stderr().find("changed: leadsquared.secret_key") != std::string::npos; },
              seconds(20)))
      << daemon->Stderr();
  DropFile(dir / "spool", "in.csv", "EmailAddress\nrotated@x.com\n");
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).count("rotated@x.com") == 1; }, seconds(20)))
      << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(30)), 0);
  const std::string log = daemon->Stderr();
  EXPECT_EQ(log.find(old_secret), std::string::npos);
  EXPECT_EQ(log.find(new_secret), std::string::npos);
}

}  // namespace
}  // namespace leadsync::testing
