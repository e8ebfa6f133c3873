// The queue holds every lead: whatever umask `leadsync` inherits, other
// local users cannot read it, and an existing readable file is reported.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// Sets the umask for the test's lifetime; children inherit it.
class ScopedUmask final {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

mode_t Mode(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 0777;
}

// Signals are handled once the daemon says it runs.
void StopWhenRunning(Process& daemon) {
  ASSERT_TRUE(WaitFor([&] { return daemon.Stderr().find(" running: ") != std::string::npos; }, seconds(20)))
      << daemon.Stderr();
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(seconds(30)), 0) << daemon.Stderr();
}

fs::path WriteConfig(const TempDir& dir, const fs::path& queue) {
  const auto config = dir / "leadsync.yaml";
  WriteFile(
      config,
      "leadsquared:\n  api_host: http://127.0.0.1:1\n  access_key: a\n  secret_key: s\nqueue:\n  path: " +
          queue.string() + "\nsources:\n  - name: spool\n    type: spool\n    path: " +
          (dir / "spool").string() + "\nshutdown_timeout: 5s\n");
  fs::create_directories(dir / "spool");
  return config;
}

TEST(QueuePermissions, CreatedPrivateUnderAPermissiveUmask) {
  TempDir dir;
  const fs::path queue = dir / "state" / "queue.db";
  const auto config = WriteConfig(dir, queue);
  const ScopedUmask permissive(022);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(queue.string() + "-wal") && fs::exists(queue.string() + "-shm"); },
              seconds(20)))
      << daemon->Stderr();

  EXPECT_EQ(Mode(queue.parent_path()), 0700u);
  for (const std::string suffix : {"", "-wal", "-shm", ".lock"}) {
    EXPECT_EQ(Mode(queue.string() + suffix), 0600u) << "queue.db" << suffix;
  }
  StopWhenRunning(*daemon);
  EXPECT_EQ(daemon->Stderr().find("readable by other users"), std::string::npos) << daemon->Stderr();
}

TEST(QueuePermissions, AnExistingReadableQueueIsReportedAtStart) {
  TempDir dir;
  const fs::path queue = dir / "queue.db";
  const auto config = WriteConfig(dir, queue);
  {
    auto first = StartDaemon(config);
    ASSERT_TRUE(WaitFor([&] { return fs::exists(queue); }, seconds(20))) << first->Stderr();
    StopWhenRunning(*first);
  }
  fs::permissions(
      queue, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return daemon->Stderr().find("readable by other users") != std::string::npos; },
                      seconds(20)))
      << daemon->Stderr();
  EXPECT_NE(daemon->Stderr().find("chmod 600"), std::string::npos);
  StopWhenRunning(*daemon);
}

}  // namespace
}  // namespace leadsync::testing
