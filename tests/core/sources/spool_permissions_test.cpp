// Who may read what in a spool, from stat() results: the rules the spool
// source applies to done/ and to writers' files (spool_trust_test.cpp and
// tests/integration/spool_writers_test.cpp try them with real users).
#include "core/sources/spool_permissions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace leadsync {
namespace {

using ::testing::HasSubstr;

constexpr uid_t kDaemon = 998;
constexpr gid_t kDaemonGroup = 998;
constexpr gid_t kWriters = 999;
constexpr uid_t kWriter = 1001;
constexpr gid_t kWriterGroup = 1001;

struct stat Entry(mode_t type, mode_t mode, uid_t uid, gid_t gid) {
  struct stat info {};
  info.st_mode = type | mode;
  info.st_uid = uid;
  info.st_gid = gid;
  return info;
}

// The package's spool: 3770 leadsync:leadsync-writers.
const struct stat kPackagedSpool = Entry(S_IFDIR, 03770, kDaemon, kWriters);
// A spool only its owner writes to.
const struct stat kPrivateSpool = Entry(S_IFDIR, 0755, kDaemon, kDaemonGroup);

struct stat Done(mode_t mode, uid_t uid = kDaemon, gid_t gid = kDaemonGroup) {
  return Entry(S_IFDIR, mode, uid, gid);
}
struct stat File(mode_t mode, gid_t gid = kWriters) {
  return Entry(S_IFREG, mode, kWriter, gid);
}

TEST(UnsafeDone, AcceptsTheDaemonsOwnPrivateDirectory) {
  EXPECT_EQ(UnsafeDone(Done(0700), kPackagedSpool, kDaemon), "");
  EXPECT_EQ(UnsafeDone(Done(02700, kDaemon, kWriters), kPackagedSpool, kDaemon), "")
      << "made by the source in a setgid spool: the writers' group, but no group bits";
  EXPECT_EQ(UnsafeDone(Done(0750), kPackagedSpool, kDaemon), "") << "the daemon's own group";
  EXPECT_EQ(UnsafeDone(Done(0750, kDaemon, kDaemonGroup), kPrivateSpool, kDaemon), "")
      << "a spool without writers' group";
}

TEST(UnsafeDone, RefusesADirectoryOwnedByAnotherUser) {
  EXPECT_EQ(UnsafeDone(Done(0700, kWriter, kWriters), kPackagedSpool, kDaemon),
            "is owned by uid 1001, not by the daemon's user (uid 998)");
  EXPECT_THAT(UnsafeDone(Done(0700, 0, 0), kPackagedSpool, kDaemon), HasSubstr("owned by uid 0"));
}

TEST(UnsafeDone, RefusesModesThatLetOthersIn) {
  EXPECT_EQ(UnsafeDone(Done(0770), kPackagedSpool, kDaemon), "is writable by other users (mode 0770)");
  EXPECT_EQ(UnsafeDone(Done(0702), kPackagedSpool, kDaemon), "is writable by other users (mode 0702)");
  EXPECT_EQ(UnsafeDone(Done(0755), kPackagedSpool, kDaemon), "is open to other users (mode 0755)");
  EXPECT_EQ(UnsafeDone(Done(0701), kPrivateSpool, kDaemon), "is open to other users (mode 0701)");
  EXPECT_EQ(UnsafeDone(Done(02750, kDaemon, kWriters), kPackagedSpool, kDaemon),
            "is open to the spool's writers (group 999, mode 2750)");
}

TEST(OtherWritersCanRead, NotAFileOfTheConventionInASetgidSpool) {
  EXPECT_FALSE(OtherWritersCanRead(File(0604), kPackagedSpool));
  EXPECT_FALSE(OtherWritersCanRead(File(0600), kPackagedSpool));
  EXPECT_FALSE(OtherWritersCanRead(File(0640, kDaemonGroup), kPackagedSpool))
      << "read by the daemon through its own group";
}

TEST(OtherWritersCanRead, AGroupReadableFileOfTheWritersGroup) {
  EXPECT_TRUE(OtherWritersCanRead(File(0644), kPackagedSpool));
  EXPECT_TRUE(OtherWritersCanRead(File(0640), kPackagedSpool));
}

TEST(OtherWritersCanRead, AnOtherReadableFileOfAnotherGroup) {
  // Moved in from elsewhere, or written in a spool without setgid: writers
  // outside the writer's own group get the other bits.
  EXPECT_TRUE(OtherWritersCanRead(File(0604, kWriterGroup), kPackagedSpool));
  EXPECT_TRUE(OtherWritersCanRead(File(0644, kWriterGroup), Entry(S_IFDIR, 01770, kDaemon, kWriters)));
}

TEST(OtherWritersCanRead, AnyReadableFileInASpoolEveryoneWritesTo) {
  EXPECT_TRUE(OtherWritersCanRead(File(0604), Entry(S_IFDIR, 01777, kDaemon, kWriters)));
}

TEST(OtherWritersCanRead, NeverInASpoolOnlyItsOwnerWritesTo) {
  EXPECT_FALSE(OtherWritersCanRead(File(0644), kPrivateSpool));
  EXPECT_FALSE(OtherWritersCanRead(File(0666, kWriterGroup), kPrivateSpool));
}

TEST(DescribeOwnership, SaysOwnerGroupAndMode) {
  EXPECT_EQ(DescribeOwnership(File(0644)), "owner uid 1001, group 999, mode 0644");
}

}  // namespace
}  // namespace leadsync
