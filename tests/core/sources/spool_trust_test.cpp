// What a spool writer cannot make the source do: read through a link, block
// on a FIFO, read a device or an oversized file, or redirect or stop the
// retirement of ingested files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "core/sources/spool.hpp"
#include "tests/core/sources/source_fixture.hpp"

namespace leadsync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::WaitFor;
using testing::WriteFile;

constexpr std::chrono::milliseconds kTimeout = 3s;

std::string Csv(const std::string& email) { return "EmailAddress\n" + email + "\n"; }

class SpoolTrustTest : public testing::SourceFixture<SpoolSource> {
 protected:
  config::Source Spool(std::uint64_t max_file_size = std::uint64_t{1} << 30) {
    config::Source source;
    source.name = kSource;
    source.settings = config::SpoolSettings{.path = spool_, .max_file_size = max_file_size};
    return source;
  }
  // Errors that mention `text`.
  std::size_t ErrorsAbout(const std::string& text) {
    const std::vector<std::string> errors = Errors();
    return static_cast<std::size_t>(std::count_if(
        errors.begin(), errors.end(), [&](const std::string& e) { return e.find(text) != e.npos; }));
  }
  // Drops `name` (written as a dot-file, which a name of NAME_MAX bytes
  // needs) and waits until it has been retired from the spool.
  void DropAndWait(const std::string& name, const std::string& email) {
    WriteFile(spool_ / ".writing", Csv(email));
    fs::rename(spool_ / ".writing", spool_ / name);
    ASSERT_TRUE(WaitFor([&] { return !fs::exists(spool_ / name); }, kTimeout)) << name;
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

TEST_F(SpoolTrustTest, DoneThatIsNotADirectoryFallsBackToHiddenNamesWithoutIngestingTwice) {
  WriteFile(spool_ / "done", "a file where the done directory should be");
  Start(Spool());
  DropAndWait("a.csv", "a@x.com");
  DropAndWait("b.csv", "b@x.com");
  EXPECT_TRUE(fs::exists(spool_ / ".done.a.csv"));
  EXPECT_TRUE(fs::exists(spool_ / ".done.b.csv"));
  source_->Rescan();
  DropAndWait("c.csv", "c@x.com");
  EXPECT_EQ(Stats().sources.at(kSource).ingested, 3) << "renamed files are never read again";
  EXPECT_EQ(ErrorsAbout("done is not a directory"), 1u);
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

TEST_F(SpoolTrustTest, DoneRemovedAfterStartFallsBackToHiddenNames) {
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout));
  fs::remove(spool_ / "done");
  WriteFile(spool_ / "done", "now a plain file");
  DropAndWait("a.csv", "a@x.com");
  EXPECT_TRUE(fs::exists(spool_ / ".done.a.csv"));
  EXPECT_EQ(Stats().pending, 1);
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
