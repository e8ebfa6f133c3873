// Ways the keys (and the other secrets) could leave the daemon other than in
// its output: over the network in clear, in a core dump, or through a secret
// file other accounts may read.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// TEST-NET-1 (RFC 5737): never routed, so a daemon pointed at it sends
// nothing anywhere, and it is not loopback.
constexpr const char* kRemoteHost = "192.0.2.1";

std::string Remote(const std::string& scheme) { return scheme + "://" + kRemoteHost + ":9"; }

// What the daemon logged until it said it is running (its signal handlers are set by then).
std::string LogUntilRunning(Process& daemon) {
  std::string log;
  EXPECT_TRUE(
      WaitFor([&] { return (log += daemon.Stderr()).find(" running: ") != std::string::npos; }, seconds(20)))
      << log;
  return log;
}

TEST(ExposedKeys, CheckWarnsAtTheKeyAndRunLogsTheSameAtStart) {
  TempDir dir;
  const std::string plain = WriteDaemonConfig(dir, Remote("http")).string();
  const RunResult checked = Leadsync({"check", "-c", plain});
  EXPECT_EQ(checked.exit_code, 0) << "a warning, not an error: " << checked.err;
  const std::string warning =
      ":2:13: warning: api_host: http:// to '192.0.2.1' sends the keys and every lead in "
      "clear over the network; use https://";
  EXPECT_NE(checked.err.find(plain + warning), std::string::npos) << checked.err;

  auto daemon = StartDaemon(plain);
  const std::string log = LogUntilRunning(*daemon);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << log << daemon->Stderr();
  EXPECT_NE(log.find(" warning " + plain + ":2:13: api_host: http:// to '192.0.2.1'"), std::string::npos)
      << log;

  TempDir other;
  const std::string unverified = WriteDaemonConfig(other, Remote("https"), "  tls_verify: false\n").string();
  const RunResult unverified_check = Leadsync({"check", "-c", unverified});
  EXPECT_EQ(unverified_check.exit_code, 0) << unverified_check.err;
  EXPECT_NE(
      unverified_check.err.find(unverified + ":5:15: warning: tls_verify: false accepts any certificate"),
      std::string::npos)
      << unverified_check.err;
}

TEST(ExposedKeys, NoWarningForLoopbackOrVerifiedTls) {
  for (const std::string& host : std::vector<std::string>{"http://127.0.0.1:9", "http://localhost:9",
                                                          "http://[::1]:9", Remote("https")}) {
    TempDir dir;
    const RunResult r = Leadsync({"check", "-c", WriteDaemonConfig(dir, host).string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << host;
  }
}

// The "Max core file size" line of /proc/PID/limits.
std::string CoreLimit(pid_t pid) {
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(limits, line);) {
    if (line.starts_with("Max core file size")) return line;
  }
  return "<no core limit line>";
}

// The files under /proc/PID of a process that is not dumpable belong to
// root (proc(5)), which shows only when it runs as another user: the daemon
// runs as nobody, started with a core size limit it has to lower.
TEST(CoreDumps, TheDaemonIsNotDumpableAndHasNoCoreSize) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run the daemon as another user";
  constexpr uid_t kNobody = 65534;
  TempDir dir;
  const fs::path config = WriteDaemonConfig(dir, "http://127.0.0.1:9");
  ASSERT_EQ(chown(dir.path().c_str(), kNobody, kNobody), 0);
  ASSERT_EQ(chown((dir / "spool").c_str(), kNobody, kNobody), 0);
  fs::permissions(dir.path(), fs::perms(0755));
  // prlimit: a core size the daemon must lower; setpriv: the user (util-linux, both exec in place).
  Process daemon({"/usr/bin/prlimit", "--core=unlimited", "/usr/bin/setpriv", "--reuid=65534",
                  "--regid=65534", "--clear-groups", LEADSYNC_BINARY, "run", "-c", config.string()});
  (void)LogUntilRunning(daemon);
  struct stat proc {};
  ASSERT_EQ(stat(("/proc/" + std::to_string(daemon.pid()) + "/environ").c_str(), &proc), 0);
  const std::string limit = CoreLimit(daemon.pid());
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(seconds(20)), 0) << daemon.Stderr();

  EXPECT_EQ(proc.st_uid, 0u) << "/proc/PID/environ of a dumpable process belongs to its user (" << kNobody
                             << ")";
  EXPECT_EQ(limit.find_first_of("123456789"), std::string::npos) << limit;
  EXPECT_NE(limit.find(" 0 "), std::string::npos) << limit;
}

TEST(SecretFiles, OneOthersMayReadIsRefusedAtStartWithTheFix) {
  TempDir dir;
  const fs::path config = WriteDaemonConfig(dir, "http://127.0.0.1:9");
  const fs::path secret = dir / "lsq-secret";
  WriteFile(secret, "sandbox-secret-key\n");
  fs::permissions(secret, fs::perms(0644));
  std::string yaml = ReadFile(config);
  yaml.replace(yaml.find("secret_key: sandbox-secret-key"), 30, "secret_key_file: " + secret.string());
  WriteFile(config, yaml);

  auto daemon = StartDaemon(config);  // killed at the end if it did start
  EXPECT_EQ(daemon->Wait(seconds(20)), 1) << "refused at start";
  const std::string err = daemon->Stderr();
  EXPECT_NE(err.find(config.string() + ":4:3: secret_key_file: '" + secret.string() +
                     "' is readable by other users (mode 0644); chmod 0600 " + secret.string()),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(dir / "queue.db")) << "refused before anything was touched";

  fs::permissions(secret, fs::perms(0640));
  const RunResult check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 0) << "group-readable (root:leadsync 0640) is allowed: " << check.err;
}

}  // namespace
}  // namespace leadsync::testing
