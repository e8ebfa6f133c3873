// The systemd side of leadsync: the unit as systemd-analyze judges it, the
// sysusers.d and tmpfiles.d entries, and the daemon's notifications (READY,
// STATUS, WATCHDOG, RELOADING, STOPPING) on a socket standing in for systemd.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "tests/support/notify_socket.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

fs::path SystemdDir() { return fs::path(LEADSYNC_SOURCE_DIR) / "systemd"; }

// The absolute path of `name` on $PATH (or in /usr/sbin, /sbin), or "".
std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(std::string(path != nullptr ? path : "") + ":/usr/bin:/bin:/usr/sbin:/sbin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir) / name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// Run() to completion; inside a TEST the name Run is testing::Test's.
RunResult Exec(const std::vector<std::string>& argv) { return Run(argv); }

// scripts/setup installs the systemd package, so a missing tool is a broken
// setup and fails the test rather than skipping it.
constexpr const char* kMissing = "not found; scripts/setup installs the systemd package";

// The unit as installed runs /usr/bin/leadsync, which `verify` insists
// exists; this copy runs the binary just built instead.
fs::path UnitWithBuiltBinary(const TempDir& dir) {
  std::string text = ReadFile(SystemdDir() / "leadsync.service");
  const std::string installed = "/usr/bin/leadsync";
  const std::string built = LEADSYNC_BINARY;
  for (auto at = text.find(installed); at != std::string::npos;
       at = text.find(installed, at + built.size())) {
    text.replace(at, installed.size(), built);
  }
  fs::path unit = dir / "leadsync.service";
  WriteFile(unit, text);
  return unit;
}

TEST(SystemdUnit, VerifiesWithoutAnyWarning) {
  const std::string analyze = FindProgram("systemd-analyze");
  ASSERT_FALSE(analyze.empty()) << "systemd-analyze " << kMissing;
  TempDir dir;
  RunResult r = Exec({analyze, "verify", UnitWithBuiltBinary(dir).string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Unknown keys and bad values only warn (exit 0): any output is a defect.
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
}

TEST(SystemdUnit, SecurityExposureIsAtMostTwo) {
  const std::string analyze = FindProgram("systemd-analyze");
  ASSERT_FALSE(analyze.empty()) << "systemd-analyze " << kMissing;
  RunResult r = Exec({analyze, "security", "--offline=yes", (SystemdDir() / "leadsync.service").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch match;
  const std::regex overall(R"(Overall exposure level for leadsync\.service: ([0-9]+\.[0-9]+))");
  ASSERT_TRUE(std::regex_search(r.out, match, overall)) << r.out << r.err;
  EXPECT_LE(std::stod(match[1].str()), 2.0) << r.out;
}

// Each value of `key` in the unit's [Service] section, in order.
std::vector<std::string> ServiceValues(const std::string& key) {
  std::istringstream unit(ReadFile(SystemdDir() / "leadsync.service"));
  std::vector<std::string> values;
  bool service = false;
  for (std::string line; std::getline(unit, line);) {
    if (line.starts_with("[")) service = line == "[Service]";
    if (service && line.starts_with(key + "=")) values.push_back(line.substr(key.size() + 1));
  }
  return values;
}

TEST(SystemdUnit, NoCoreFilesAndBoundedMemoryAndTasks) {
  EXPECT_EQ(ServiceValues("LimitCORE"), std::vector<std::string>{"0"});
  EXPECT_EQ(ServiceValues("MemoryMax"), std::vector<std::string>{"512M"});
  EXPECT_EQ(ServiceValues("TasksMax"), std::vector<std::string>{"64"});
}

// Binding is denied but for the ports the daemon listens on by default and
// in the example config, so that the example runs under the unit as it is.
TEST(SystemdUnit, ListensOnlyOnTheDefaultAndExamplePorts) {
  EXPECT_EQ(ServiceValues("SocketBindDeny"), std::vector<std::string>{"any"});
  const std::vector<std::string> allowed = ServiceValues("SocketBindAllow");
  const std::string example = ReadFile(fs::path(LEADSYNC_SOURCE_DIR) / "config/leadsync.example.yaml");
  const std::regex listen(R"(\blisten: [0-9.]+:([0-9]+))");
  std::vector<std::string> ports;
  for (auto it = std::sregex_iterator(example.begin(), example.end(), listen); it != std::sregex_iterator();
       ++it)
    ports.push_back("tcp:" + (*it)[1].str());
  EXPECT_EQ(ports, (std::vector<std::string>{"tcp:8088", "tcp:9464"}))
      << "the example's webhook, then metrics";
  for (const std::string& port : ports) {
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), port), allowed.end()) << port;
  }
  EXPECT_EQ(allowed.size(), ports.size());
}

// systemd-sysusers and systemd-tmpfiles on a scratch root, as the package's
// postinst runs them on the real one.
TEST(SystemdUnit, SysusersAndTmpfilesCreateTheUserAndTheSpool) {
  if (geteuid() != 0) GTEST_SKIP() << "systemd-tmpfiles needs root to chown in a scratch root";
  const std::string sysusers = FindProgram("systemd-sysusers");
  const std::string tmpfiles = FindProgram("systemd-tmpfiles");
  ASSERT_FALSE(sysusers.empty() || tmpfiles.empty()) << "systemd-sysusers/systemd-tmpfiles " << kMissing;
  TempDir root;
  fs::create_directories(root / "etc");
  RunResult users =
      Exec({sysusers, "--root=" + root.path().string(), (SystemdDir() / "leadsync.sysusers").string()});
  ASSERT_EQ(users.exit_code, 0) << users.err;
  const std::string passwd = ReadFile(root / "etc/passwd");
  std::smatch entry;
  ASSERT_TRUE(
      std::regex_search(passwd, entry, std::regex(R"(leadsync:x:(\d+):(\d+):[^:]*:/var/lib/leadsync:)")))
      << passwd;
  RunResult dirs = Exec({tmpfiles, "--root=" + root.path().string(), "--create",
                         (SystemdDir() / "leadsync.tmpfiles").string()});
  ASSERT_EQ(dirs.exit_code, 0) << dirs.err;
  std::smatch writers;
  const std::string group = ReadFile(root / "etc/group");
  ASSERT_TRUE(std::regex_search(group, writers, std::regex(R"((?:^|\n)leadsync-writers:x:(\d+):)"))) << group;
  // The spool: writers (setgid group) create files, the sticky bit keeps
  // them from renaming each other's; done/ is the daemon's alone.
  struct Expected {
    const char* dir;
    unsigned mode;
    std::string gid;
  };
  for (const Expected& want : {Expected{"var/spool/leadsync", 03770u, writers[1].str()},
                               Expected{"var/spool/leadsync/done", 0700u, entry[2].str()}}) {
    struct stat st {};
    ASSERT_EQ(stat((root / want.dir).c_str(), &st), 0) << want.dir;
    EXPECT_TRUE(S_ISDIR(st.st_mode)) << want.dir;
    EXPECT_EQ(st.st_mode & 07777, want.mode) << want.dir;
    EXPECT_EQ(st.st_uid, std::stoul(entry[1].str())) << want.dir;
    EXPECT_EQ(st.st_gid, std::stoul(want.gid)) << want.dir;
  }
  // The spool's default ACL: a file created there is 0604 whatever the
  // umask, so writers (group bits) cannot read each other's files and the
  // daemon (other bits) can.
  const fs::path made = root / "var/spool/leadsync/made-under-umask-022";
  const mode_t mask = ::umask(022);
  WriteFile(made, "lead");
  ::umask(mask);
  struct stat st {};
  ASSERT_EQ(stat(made.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0604u);
}

TEST(SystemdNotify, ReportsReadyStatusReloadAndStopping) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url());
  NotifySocket notify(dir / "notify.sock");
  auto daemon = StartNotifyingDaemon(config, notify);

  ASSERT_TRUE(notify.NextLine("READY=1", seconds(20))) << daemon->Stderr();
  // STATUS= comes from a task started after the signal handlers, so once it
  // has arrived a SIGHUP is sure to be handled.
  const auto status = notify.NextLine("STATUS=", seconds(10));
  ASSERT_TRUE(status) << daemon->Stderr();
  EXPECT_NE(status->find("pending"), std::string::npos) << *status;

  daemon->Signal(SIGHUP);
  ASSERT_TRUE(notify.NextLine("RELOADING=1", seconds(10))) << daemon->Stderr();
  // systemd 253+ ignores a RELOADING=1 without the clock it was sent at.
  EXPECT_TRUE(notify.NextLine("MONOTONIC_USEC=", seconds(1)));
  ASSERT_TRUE(notify.NextLine("READY=1", seconds(10))) << daemon->Stderr();

  // A refused reload must end in READY=1 too, or `systemctl reload` hangs.
  WriteFile(config, "leadsquared: [not, a, map]\n");
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(notify.NextLine("RELOADING=1", seconds(10))) << daemon->Stderr();
  ASSERT_TRUE(notify.NextLine("READY=1", seconds(10))) << daemon->Stderr();
  ASSERT_TRUE(notify.NextLine("STATUS=", seconds(10))) << "still serving after a refused reload";

  daemon->Signal(SIGTERM);
  ASSERT_TRUE(notify.NextLine("STOPPING=1", seconds(10))) << daemon->Stderr();
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

TEST(SystemdNotify, PingsTheWatchdog) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url());
  NotifySocket notify(dir / "notify.sock");
  // No WATCHDOG_PID: the child's pid is known only after fork, and
  // sd_watchdog_enabled() accepts any process when it is unset.
  auto daemon = StartNotifyingDaemon(config, notify, {"WATCHDOG_USEC=2000000"});

  ASSERT_TRUE(notify.NextLine("READY=1", seconds(20))) << daemon->Stderr();
  ASSERT_TRUE(notify.NextLine("WATCHDOG=1", seconds(10))) << daemon->Stderr();
  ASSERT_TRUE(notify.NextLine("WATCHDOG=1", seconds(10))) << "the watchdog is pinged periodically, not once";

  daemon->Signal(SIGTERM);
  ASSERT_TRUE(notify.NextLine("STOPPING=1", seconds(10))) << daemon->Stderr();
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
