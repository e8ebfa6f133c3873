// The tail source on real files: appends, partial lines, rotation by rename
// and by copytruncate, inode reuse, truncation, restarts and backpressure.
#include "core/sources/tail.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "core/sources/tail_checkpoint.hpp"
#include "tests/core/sources/source_fixture.hpp"

namespace leadsync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::WaitFor;
using testing::WriteFile;

// Real time for real files and a real queue; the rotation grace (two
// seconds of quiet) runs on the source's simulated clock (HasIngested).
constexpr std::chrono::milliseconds kTimeout = 10s;

std::string Line(int n) {
  return R"({"EmailAddress":"u)" + std::to_string(n) + R"(@x.com","mx_N":")" + std::to_string(n) + "\"}\n";
}
std::string Lines(int from, int to) {
  std::string text;
  for (int n = from; n <= to; ++n) text += Line(n);
  return text;
}

void Append(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
}

class TailTest : public testing::SourceFixture<TailSource> {
 protected:
  config::Source Tail(config::StartAt start_at = config::StartAt::kBeginning) {
    config::Source source;
    source.name = kSource;
    source.settings = config::TailSettings{.path = file_, .start_at = start_at};
    return source;
  }
  std::int64_t IngestedTotal() {
    const QueueStats stats = Stats();
    const auto it = stats.sources.find(kSource);
    return it == stats.sources.end() ? 0 : it->second.ingested;
  }
  // Each look moves the source's clock a second on, so that a rotated file
  // turns quiet within a few looks, whatever the real time.
  bool HasIngested(std::int64_t n) {
    AdvanceClock(1s);
    return IngestedTotal() >= n;
  }
  // The numbers (mx_N) of every pending lead, claimed.
  std::vector<std::string> Numbers() {
    std::vector<std::string> numbers;
    for (const auto& [key, lead] : ClaimAll()) numbers.push_back(lead.Find("mx_N")->value);
    std::sort(numbers.begin(), numbers.end(),
              [](const std::string& a, const std::string& b) { return std::stoi(a) < std::stoi(b); });
    return numbers;
  }
  static std::vector<std::string> Range(int from, int to) {
    std::vector<std::string> numbers;
    for (int n = from; n <= to; ++n) numbers.push_back(std::to_string(n));
    return numbers;
  }

  fs::path file_ = dir_ / "logs" / "leads.jsonl";
};

TEST_F(TailTest, FollowsAppendsAndWaitsForTheRestOfAPartialLine) {
  WriteFile(file_, Lines(1, 2));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  const std::string third = Line(3);
  Append(file_, third.substr(0, 20));
  Append(file_, third.substr(20) + Line(4));
  ASSERT_TRUE(WaitFor([&] { return HasIngested(4); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 4));
  EXPECT_TRUE(Rejections().empty()) << "the partial line was never read as a record";
  const auto checkpoint = TailCheckpoint::Parse(Stats().sources.at(kSource).checkpoint);
  ASSERT_TRUE(checkpoint);
  EXPECT_EQ(checkpoint->position, (InputPosition{Lines(1, 4).size(), 5}));
}

TEST_F(TailTest, RotationByRenameReadsTheOldFileToItsEndThenTheNewOne) {
  WriteFile(file_, Lines(1, 2));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  Append(file_, Line(3));
  fs::rename(file_, dir_ / "logs" / "leads.jsonl.1");
  WriteFile(file_, Lines(4, 5));
  Append(dir_ / "logs" / "leads.jsonl.1", Line(6));  // the writer had it open still
  ASSERT_TRUE(WaitFor([&] { return HasIngested(6); }, kTimeout));
  Append(file_, Line(7));
  ASSERT_TRUE(WaitFor([&] { return HasIngested(7); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 7));
  EXPECT_EQ(IngestedTotal(), 7);
}

TEST_F(TailTest, CopytruncateNeitherLosesNorRepeatsLines) {
  WriteFile(file_, Lines(1, 2));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  Append(file_, Line(3));
  fs::copy_file(file_, dir_ / "logs" / "leads.jsonl.1");
  fs::resize_file(file_, 0);
  Append(file_, Lines(4, 5));
  ASSERT_TRUE(WaitFor([&] { return HasIngested(5); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 5));
  EXPECT_EQ(IngestedTotal(), 5);
}

TEST_F(TailTest, CopytruncateWhileStoppedIsCaughtUpFromTheCopy) {
  WriteFile(file_, Lines(1, 2));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  StopSource();
  Append(file_, Lines(3, 4));
  fs::copy_file(file_, dir_ / "logs" / "leads.jsonl.1");
  fs::resize_file(file_, 0);
  Append(file_, Line(5));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(5); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 5));
}

TEST_F(TailTest, NewFileReusingTheInodeIsReadFromItsStart) {
  WriteFile(file_, Lines(1, 2));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  StopSource();
  struct stat info {};
  ASSERT_EQ(::stat(file_.c_str(), &info), 0);
  const ino_t old_inode = info.st_ino;
  fs::remove(file_);
  WriteFile(file_, Lines(10, 14));  // longer: an offset kept by inode would skip lines 10 and 11
  ASSERT_EQ(::stat(file_.c_str(), &info), 0);
  if (info.st_ino != old_inode) std::cerr << "note: the file system gave a new inode; the test still holds\n";
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(7); }, kTimeout));
  std::vector<std::string> expected = Range(1, 2);
  for (const std::string& n : Range(10, 14)) expected.push_back(n);
  EXPECT_EQ(Numbers(), expected);
}

TEST_F(TailTest, TruncationIsReportedAndTheFileReadAgainFromItsStart) {
  WriteFile(file_, Lines(1, 3));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(3); }, kTimeout));
  WriteFile(file_, Line(9));  // truncated and rewritten, shorter
  ASSERT_TRUE(WaitFor([&] { return HasIngested(4); }, kTimeout));
  EXPECT_EQ(Numbers(), (std::vector<std::string>{"1", "2", "3", "9"}));
  const std::vector<std::string> states = States();
  EXPECT_TRUE(
      std::ranges::any_of(states, [](const std::string& e) { return e.find("truncated") != e.npos; }));
  EXPECT_TRUE(Errors().empty()) << "a truncation is a state, not a source error";
}

TEST_F(TailTest, RestartResumesFromTheCheckpoint) {
  WriteFile(file_, Lines(1, 2));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  StopSource();
  Append(file_, Lines(3, 4));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(4); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 4));
  EXPECT_EQ(IngestedTotal(), 4);
}

TEST_F(TailTest, ResetCheckpointReadsTheFileAgainFromItsStartWhileRunning) {
  WriteFile(file_, Lines(1, 3));
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(3); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 3));  // claimed: in flight
  OnQueue([](Queue& q) {
    q.ResetCheckpoint(kSource, std::nullopt);
    return 0;
  });
  // The file is idle: a poll, every kPollPeriod of the clock, sees the reset.
  const auto read_again = [&] {
    AdvanceClock(TailSource::kPollPeriod);
    return Stats().pending == 3;
  };
  ASSERT_TRUE(WaitFor(read_again, kTimeout)) << "read again, with no new line";
  EXPECT_TRUE(Errors().empty());
}

TEST_F(TailTest, StartAtEndReadsOnlyWhatIsWrittenAfterTheFirstStart) {
  WriteFile(file_, Lines(1, 2) + R"({"EmailAddress":"partial)");
  Start(Tail(config::StartAt::kEnd));
  ASSERT_TRUE(WaitFor([&] { return Stats().sources.count(kSource) == 1; }, kTimeout))
      << "the start is committed";
  StopSource();
  Append(file_, "@x.com\"}\n" + Line(3));
  Start(Tail(config::StartAt::kEnd));
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  const std::map<std::string, Lead> leads = ClaimAll();
  EXPECT_EQ(leads.size(), 2u);
  EXPECT_EQ(leads.count("emailaddress:partial@x.com"), 1u) << "a line being written at the start is new";
  EXPECT_EQ(leads.count("emailaddress:u3@x.com"), 1u);
}

TEST_F(TailTest, CsvHeaderIsEachFilesFirstLine) {
  file_ = dir_ / "logs" / "leads.csv";
  WriteFile(file_, "EmailAddress,mx_N\nu1@x.com,1\n");
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(1); }, kTimeout));
  fs::rename(file_, dir_ / "logs" / "leads.csv.1");
  WriteFile(file_, "mx_N,EmailAddress\n2,u2@x.com\n");
  ASSERT_TRUE(WaitFor([&] { return HasIngested(2); }, kTimeout));
  StopSource();
  Append(file_, "3,u3@x.com\n");
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return HasIngested(3); }, kTimeout));
  EXPECT_EQ(Numbers(), Range(1, 3));
}

TEST_F(TailTest, NeverFollowsASymbolicLink) {
  WriteFile(dir_ / "private.jsonl", Lines(1, 2));
  fs::create_directories(file_.parent_path());
  fs::create_symlink(dir_ / "private.jsonl", file_);
  Start(Tail());
  ASSERT_TRUE(WaitFor([&] { return !Errors().empty(); }, kTimeout));
  EXPECT_THAT(Errors()[0], HasSubstr("not followed: a symbolic link"));
  EXPECT_EQ(Stats().pending, 0);
}

TEST_F(TailTest, StopsReadingAtMaxPendingAndGoesOnWhenTheBacklogDrains) {
  WriteFile(file_, Lines(1, 5));
  Start(Tail(), /*max_pending=*/2);
  ASSERT_TRUE(WaitFor([&] { return !States().empty(); }, kTimeout)) << "backpressure is reported";
  EXPECT_TRUE(Errors().empty()) << "backpressure is a state, not a source error";
  EXPECT_EQ(Stats().pending, 2);
  // Deliver what is pending, as the dispatcher would, and report the room.
  std::set<std::string> delivered;
  ASSERT_TRUE(WaitFor(
      [&] {
        OnQueue([&](Queue& q) {
          for (const QueuedRecord& r : q.Claim(100, clock_.Now())) {
            delivered.insert(r.key);
            q.ApplySettlement({clock_.Now(), 200, {{r.id, {1, "L", true, false, 1, ""}}}, {}, {}, {}});
          }
          return 0;
        });
        boost::asio::post(io_, [this] { backpressure_.SetBacklog(0); });
        return delivered.size() == 5;
      },
      kTimeout));
  EXPECT_EQ(IngestedTotal(), 5);
}

TEST(TailFormat, AutoNeedsAnExtensionThatCanBeFollowed) {
  EXPECT_EQ(TailSource::FormatOf({.path = "a.jsonl"}), InputFormat::kJsonl);
  EXPECT_EQ(TailSource::FormatOf({.path = "a.ndjson"}), InputFormat::kJsonl);
  EXPECT_EQ(TailSource::FormatOf({.path = "a.csv"}), InputFormat::kCsv);
  EXPECT_EQ(TailSource::FormatOf({.path = "a.json"}), std::nullopt);
  EXPECT_EQ(TailSource::FormatOf({.path = "a.log"}), std::nullopt);
  EXPECT_EQ(TailSource::FormatOf({.path = "a.log", .format = InputFormat::kCsv}), InputFormat::kCsv);
}

}  // namespace
}  // namespace leadsync
