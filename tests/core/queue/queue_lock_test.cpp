#include "core/queue/queue_lock.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "core/queue/queue.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

using testing::TempDir;

// What taking the lock throws, or nullopt when it was taken (and dropped).
std::optional<std::string> Refusal(const std::filesystem::path& queue) {
  try {
    QueueLock lock(queue);
    return std::nullopt;
  } catch (const QueueError& e) {
    return e.what();
  }
}

TEST(QueueLock, SecondLockInTheSameProcessIsRefusedWithTheHoldersPid) {
  TempDir dir;
  const auto queue = dir / "queue.db";
  QueueLock held(queue);
  const std::optional<std::string> refused = Refusal(queue);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("queue " + queue.string() + " in use by PID " + std::to_string(getpid())),
            std::string::npos)
      << *refused;
}

TEST(QueueLock, LockFileIsPrivateAndNamesTheHolder) {
  TempDir dir;
  QueueLock held(dir / "queue.db");
  const auto path = QueueLock::PathFor(dir / "queue.db");
  EXPECT_EQ(path, dir / "queue.db.lock");
  EXPECT_EQ(testing::ReadFile(path), std::to_string(getpid()) + "\n");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(QueueLock, IsFreeAgainOnceTheHolderGoesAway) {
  TempDir dir;
  { QueueLock first(dir / "queue.db"); }
  EXPECT_EQ(Refusal(dir / "queue.db"), std::nullopt);
  EXPECT_TRUE(std::filesystem::exists(dir / "queue.db.lock")) << "never removed: see the header";
}

TEST(QueueLock, MovedLockStaysHeld) {
  TempDir dir;
  QueueLock first(dir / "queue.db");
  QueueLock moved(std::move(first));
  EXPECT_TRUE(Refusal(dir / "queue.db"));
}

TEST(QueueLock, StaleLockFileLeftByADeadProcessDoesNotBlock) {
  TempDir dir;
  testing::WriteFile(dir / "queue.db.lock", "999999999\n");
  QueueLock held(dir / "queue.db");
  EXPECT_EQ(testing::ReadFile(dir / "queue.db.lock"), std::to_string(getpid()) + "\n");
}

TEST(QueueLock, HolderWithoutAReadablePidIsSaidToBeUnknown) {
  TempDir dir;
  QueueLock held(dir / "queue.db");
  testing::WriteFile(dir / "queue.db.lock", "not a pid");
  const std::optional<std::string> refused = Refusal(dir / "queue.db");
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("in use by another process (no PID could be read from " +
                          (dir / "queue.db.lock").string() + ")"),
            std::string::npos)
      << *refused;
}

TEST(QueueLock, RefusesASymbolicLinkInsteadOfFollowingIt) {
  TempDir dir;
  testing::WriteFile(dir / "elsewhere", "");
  std::filesystem::create_symlink(dir / "elsewhere", dir / "queue.db.lock");
  const std::optional<std::string> refused = Refusal(dir / "queue.db");
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("symbolic link"), std::string::npos) << *refused;
  EXPECT_EQ(testing::ReadFile(dir / "elsewhere"), "");
}

TEST(QueueLock, RefusesWhatIsNotARegularFile) {
  TempDir dir;
  ASSERT_EQ(mkfifo((dir / "queue.db.lock").c_str(), 0600), 0);
  const std::optional<std::string> refused = Refusal(dir / "queue.db");
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("not a regular file"), std::string::npos) << *refused;
}

}  // namespace
}  // namespace leadsync
