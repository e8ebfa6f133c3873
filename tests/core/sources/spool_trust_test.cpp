// What a spool writer cannot make the source do: read through a link, block
// on a FIFO, read a device or an oversized file, or redirect or stop the
// retirement of ingested files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/sources/spool.hpp"
#include "tests/core/sources/source_fixture.hpp"
#include "tests/support/as_user.hpp"

namespace leadsync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::WaitFor;
using testing::WriteFile;

constexpr std::chrono::milliseconds kTimeout = 3s;
// Writers of a shared spool: numeric ids, no /etc/passwd entries needed.
constexpr gid_t kWriters = 61000;
const testing::Identity kWriterA{61001, 61001, {kWriters}};
const testing::Identity kWriterB{61002, 61002, {kWriters}};

std::string Csv(const std::string& email) { return "EmailAddress\n" + email + "\n"; }

class SpoolTrustTest : public testing::SourceFixture<SpoolSource> {
 protected:
  config::Source Spool(std::uint64_t max_file_size = std::uint64_t{1} << 30) {
    config::Source source;
    source.name = kSource;
    source.settings = config::SpoolSettings{.path = spool_, .max_file_size = max_file_size, .create = true};
    return source;
  }
  // Errors that mention `text`.
  std::size_t ErrorsAbout(const std::string& text) {
    const std::vector<std::string> errors = Errors();
    return static_cast<std::size_t>(std::count_if(
        errors.begin(), errors.end(), [&](const std::string& e) { return e.find(text) != e.npos; }));
  }
  // Drops `name` (written as a dot-file, which a name of NAME_MAX bytes
  // needs; chmod `mode` when given) and waits until it has been retired
  // from the spool.
  void DropAndWait(const std::string& name, const std::string& email, std::optional<mode_t> mode = {}) {
    WriteFile(spool_ / ".writing", Csv(email));
    if (mode) ::chmod((spool_ / ".writing").c_str(), *mode);
    fs::rename(spool_ / ".writing", spool_ / name);
    ASSERT_TRUE(WaitFor([&] { return !fs::exists(spool_ / name); }, kTimeout)) << name;
  }

  // The source refused its done/ for `reason` (reported once, as a source
  // error) and read nothing. The refusal comes before the first listing, so
  // once it is reported nothing more happens until a rescan or kRetryPeriod.
  void ExpectRefused(const std::string& reason) {
    ASSERT_TRUE(WaitFor([&] { return ErrorsAbout(reason) == 1; }, kTimeout))
        << ::testing::PrintToString(Errors());
    EXPECT_EQ(ErrorsAbout("the source ingests nothing until it is fixed: move it away"), 1u);
    EXPECT_EQ(Errors().size(), 1u) << ::testing::PrintToString(Errors());
    EXPECT_EQ(Stats().pending, 0);
  }

  fs::path spool_ = dir_ / "spool";
};

TEST_F(SpoolTrustTest, NeverReadsThroughASymbolicLink) {
  WriteFile(dir_ / "private.csv", Csv("secret@x.com") + "password,hunter2\n");
  ::chmod((dir_ / "private.csv").c_str(), 0600);
  fs::create_directories(spool_);
  fs::create_symlink(dir_ / "private.csv", spool_ / "x.csv");
  Start(Spool());
  DropAndWait("good.csv", "good@x.com");
  source_->Rescan();
  DropAndWait("later.csv", "later@x.com");

  EXPECT_EQ(Stats().pending, 2);
  EXPECT_TRUE(DeadLetters().empty()) << "nothing of the linked file reaches the dead-letter store";
  EXPECT_EQ(ErrorsAbout("x.csv: not ingested: a symbolic link"), 1u) << "reported once while it lasts";
  EXPECT_TRUE(fs::is_symlink(spool_ / "x.csv")) << "left alone";
}

TEST_F(SpoolTrustTest, SkipsFifosDirectoriesDevicesAndFilesOverMaxFileSize) {
  fs::create_directories(spool_ / "folder.csv");
  ASSERT_EQ(::mkfifo((spool_ / "pipe.csv").c_str(), 0600), 0);
  const std::string big = Csv("big@x.com") + std::string(200, '#');
  WriteFile(spool_ / "big.csv", big);
  const bool device = ::mknod((spool_ / "null.csv").c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0;
  Start(Spool(/*max_file_size=*/100));
  DropAndWait("good.csv", "good@x.com");

  EXPECT_EQ(Stats().pending, 1);
  EXPECT_EQ(ErrorsAbout("pipe.csv: not ingested: a FIFO"), 1u);
  EXPECT_EQ(ErrorsAbout("folder.csv: not ingested: a directory"), 1u);
  EXPECT_EQ(ErrorsAbout("big.csv: not ingested: " + std::to_string(big.size()) +
                        " bytes, over max_file_size (100)"),
            1u);
  if (device) {
    EXPECT_EQ(ErrorsAbout("null.csv: not ingested: a device"), 1u);
  }
  EXPECT_TRUE(fs::exists(spool_ / "big.csv"));
}

TEST_F(SpoolTrustTest, DoneThatIsNotADirectoryIsRefusedAndNothingIsRead) {
  WriteFile(spool_ / "done", "a file where the done directory should be");
  WriteFile(spool_ / "a.csv", Csv("a@x.com"));
  Start(Spool());
  ExpectRefused((spool_ / "done").string() + " is not a directory");
  EXPECT_TRUE(fs::exists(spool_ / "a.csv")) << "left in place";
}

TEST_F(SpoolTrustTest, DoneThatIsALinkIsRefusedAndNothingIsRead) {
  fs::create_directories(dir_ / "elsewhere");
  fs::create_directories(spool_);
  fs::create_directory_symlink(dir_ / "elsewhere", spool_ / "done");
  WriteFile(spool_ / "a.csv", Csv("a@x.com"));
  Start(Spool());
  ExpectRefused((spool_ / "done").string() + " is a symbolic link");
  EXPECT_TRUE(fs::exists(spool_ / "a.csv")) << "left in place";
  EXPECT_TRUE(fs::is_empty(dir_ / "elsewhere"));
}

TEST_F(SpoolTrustTest, DoneReplacedByALinkAfterStartNeitherRedirectsNorStopsRetirement) {
  fs::create_directories(dir_ / "elsewhere");
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout));
  fs::rename(spool_ / "done", spool_ / ".moved");
  fs::create_directory_symlink(dir_ / "elsewhere", spool_ / "done");
  DropAndWait("a.csv", "a@x.com");

  EXPECT_TRUE(fs::exists(spool_ / ".moved" / "a.csv")) << "into the directory that was opened";
  EXPECT_TRUE(fs::is_empty(dir_ / "elsewhere"));
  EXPECT_EQ(ErrorsAbout("was replaced"), 1u);
}

TEST_F(SpoolTrustTest, DoneRemovedAfterStartFallsBackToHiddenNamesWithoutIngestingTwice) {
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout));
  fs::remove(spool_ / "done");
  WriteFile(spool_ / "done", "now a plain file");
  DropAndWait("a.csv", "a@x.com");
  DropAndWait("b.csv", "b@x.com");
  EXPECT_TRUE(fs::exists(spool_ / ".done.a.csv"));
  EXPECT_TRUE(fs::exists(spool_ / ".done.b.csv"));
  source_->Rescan();
  DropAndWait("c.csv", "c@x.com");
  EXPECT_EQ(Stats().sources.at(kSource).ingested, 3) << "renamed files are never read again";
  EXPECT_EQ(ErrorsAbout("cannot take files"), 1u) << "reported once";
}

TEST_F(SpoolTrustTest, DoneMadeByAWriterIsRefusedUntilMovedAway) {
  if (!testing::CanActAsOtherUsers()) GTEST_SKIP() << "needs root to act as two writers (setresuid)";
  // The package's layout, the source (this process) as the owner.
  ::chmod(dir_.path().c_str(), 0711);
  fs::create_directories(spool_);
  testing::ChangeOwner(spool_, ::geteuid(), kWriters);
  ::chmod(spool_.c_str(), 03770);
  // Writer A makes done/ before the source ever opens the spool, open to all.
  ASSERT_EQ(
      testing::RunAs(kWriterA, 0, [&] { return ::mkdir((spool_ / "done").c_str(), 0777) == 0 ? 0 : errno; }),
      0);
  ASSERT_EQ(testing::DropAs(kWriterB, 062, spool_, "b.csv", Csv("b@x.com")), 0);  // 0604
  Start(Spool());
  ExpectRefused((spool_ / "done").string() + " is owned by uid " + std::to_string(kWriterA.uid) +
                ", not by the daemon's user (uid " + std::to_string(::geteuid()) + ")");
  EXPECT_TRUE(fs::exists(spool_ / "b.csv")) << "writer B's file stays where writer A cannot take it";
  EXPECT_TRUE(fs::is_empty(spool_ / "done")) << "nothing moved into writer A's directory";

  // The operator moves it away: the source makes its own and goes on.
  fs::rename(spool_ / "done", spool_ / ".writer-a-done");
  source_->Rescan();
  ASSERT_TRUE(WaitFor([&] { return fs::exists(spool_ / "done" / "b.csv"); }, kTimeout))
      << ::testing::PrintToString(Errors());
  EXPECT_EQ(Stats().pending, 1);
  EXPECT_TRUE(fs::is_empty(spool_ / ".writer-a-done"));
  struct stat done {};
  ASSERT_EQ(::stat((spool_ / "done").c_str(), &done), 0);
  EXPECT_EQ(done.st_uid, ::geteuid());
  EXPECT_EQ(done.st_mode & 0777, 0700u);
}

TEST_F(SpoolTrustTest, DoneOpenToOtherUsersIsRefused) {
  fs::create_directories(spool_ / "done");
  ::chmod((spool_ / "done").c_str(), 0755);
  WriteFile(spool_ / "a.csv", Csv("a@x.com"));
  Start(Spool());
  ExpectRefused((spool_ / "done").string() + " is open to other users (mode 0755)");
  EXPECT_TRUE(fs::exists(spool_ / "a.csv"));
}

TEST_F(SpoolTrustTest, SourceCreatesDonePrivateWhateverTheUmaskAndTheSpoolsGroup) {
  // A setgid spool its group writes to: done/ would inherit the writers'
  // group, and umask 0 would keep every bit the source asks for.
  fs::create_directories(spool_);
  ::chmod(spool_.c_str(), 02770);
  const mode_t old_mask = ::umask(0);
  Start(Spool());
  const bool created = WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout);
  ::umask(old_mask);
  ASSERT_TRUE(created) << ::testing::PrintToString(Errors());
  struct stat done {};
  ASSERT_EQ(::lstat((spool_ / "done").c_str(), &done), 0);
  EXPECT_EQ(done.st_uid, ::geteuid());
  EXPECT_EQ(done.st_mode & 0777, 0700u) << "nobody else may list what was ingested";
  DropAndWait("a.csv", "a@x.com", 0604);
  EXPECT_TRUE(fs::exists(spool_ / "done" / "a.csv"));
  EXPECT_TRUE(Errors().empty()) << ::testing::PrintToString(Errors());
}

TEST_F(SpoolTrustTest, FileOtherWritersCanReadIsIngestedAndReportedOncePerWriter) {
  // A spool its group writes to; files of that group readable by the group
  // (0644, as umask 022 makes them) are open to every other writer.
  fs::create_directories(spool_);
  ::chmod(spool_.c_str(), 0770);
  for (const std::string name : {"a.csv", "b.csv"}) {
    WriteFile(spool_ / ("." + name), Csv(name + "@x.com"));
    ::chmod((spool_ / ("." + name)).c_str(), 0644);
    fs::rename(spool_ / ("." + name), spool_ / name);
  }
  WriteFile(spool_ / ".c.csv", Csv("c@x.com"));
  ::chmod((spool_ / ".c.csv").c_str(), 0604);
  fs::rename(spool_ / ".c.csv", spool_ / "c.csv");
  Start(Spool());
  ASSERT_TRUE(WaitFor(
      [&] {
        return !fs::exists(spool_ / "a.csv") && !fs::exists(spool_ / "b.csv") &&
               !fs::exists(spool_ / "c.csv");
      },
      kTimeout))
      << ::testing::PrintToString(Errors());
  EXPECT_EQ(Stats().pending, 3) << "ingested all the same";
  const std::string expected = ": other writers of " + spool_.string() + " can read it (owner uid " +
                               std::to_string(::geteuid()) + ", group " + std::to_string(::getegid()) +
                               ", mode 0644): writers must create spool files in the spool with mode 0604";
  EXPECT_EQ(ErrorsAbout(expected), 1u)
      << "once for the writer, not per file: " << ::testing::PrintToString(Errors());
  EXPECT_EQ(Errors().size(), 1u) << ::testing::PrintToString(Errors());
}

TEST_F(SpoolTrustTest, LongNameDroppedTwiceIsRetiredBothTimes) {
  const std::string name = std::string(NAME_MAX - 4, 'n') + ".csv";
  ASSERT_EQ(name.size(), std::size_t{NAME_MAX});
  Start(Spool());
  DropAndWait(name, "first@x.com");
  DropAndWait(name, "second@x.com");
  DropAndWait(name, "third@x.com");

  EXPECT_EQ(Stats().pending, 3);
  std::size_t retired = 0;
  for (const auto& entry : fs::directory_iterator(spool_ / "done")) {
    EXPECT_LE(entry.path().filename().string().size(), std::size_t{NAME_MAX});
    ++retired;
  }
  EXPECT_EQ(retired, 3u);
  EXPECT_TRUE(Errors().empty());
}

}  // namespace
}  // namespace leadsync
