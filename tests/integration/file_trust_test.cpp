// What a spool writer or a hostile file cannot make `leadsync run` do, and
// config files that cannot hang `leadsync check`: through the real binary.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

std::string SpoolSource(const TempDir& dir, const std::string& extra = "") {
  return "  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() + "\n" + extra;
}

// Writes `name` as a dot-file first and renames it into place.
void Drop(const TempDir& dir, const std::string& name, const std::string& text) {
  WriteFile(dir / "spool" / ".writing", text);
  fs::rename(dir / "spool" / ".writing", dir / "spool" / name);
}

std::string Csv(const std::string& email, const std::string& name) {
  return "EmailAddress,FirstName\n" + email + "," + name + "\n";
}

bool Delivered(std::uint16_t port, std::size_t leads) {
  try {
    return SandboxLeads(port).size() >= leads;
  } catch (const std::exception&) {
    return false;
  }
}

void StopCleanly(Process& daemon) {
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(seconds(20)), 0) << daemon.Stderr();
}

class FileTrust : public ::testing::Test {
 protected:
  void Start(const std::string& source_extra = "") {
    fs::create_directories(dir_ / "spool");
    config_ = WriteSourcesConfig(
        dir_,
        {.api_host = sandbox_.url(), .sources = SpoolSource(dir_, source_extra), .metrics_port = metrics_});
    daemon_ = StartDaemon(config_);
  }
  double SourceErrors() {
    return MetricValue(metrics_, "leadsync_source_errors_total", "source=\"spool\"").value_or(-1);
  }

  TempDir dir_;
  SandboxProcess sandbox_;
  std::uint16_t metrics_ = FreePort();
  fs::path config_;
  std::unique_ptr<Process> daemon_;
};

TEST_F(FileTrust, SymlinkToAPrivateFileIsNeverReadNorDeadLettered) {
  WriteFile(dir_ / "private.csv", Csv("secret@example.com", "Secret") + "password,hunter2\n");
  ::chmod((dir_ / "private.csv").c_str(), 0600);
  fs::create_directories(dir_ / "spool");
  fs::create_symlink(dir_ / "private.csv", dir_ / "spool" / "x.csv");
  Start();
  Drop(dir_, "good.csv", Csv("good@example.com", "Good"));
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox_.port(), 1); }, seconds(30))) << daemon_->Stderr();
  ASSERT_TRUE(WaitFor([&] { return SourceErrors() >= 1; }, seconds(10)));
  EXPECT_EQ(SandboxLeads(sandbox_.port()).count("secret@example.com"), 0u);
  const RunResult dlq = Leadsync({"dlq", "-c", config_.string(), "list", "--json"});
  EXPECT_EQ(dlq.out, "[]\n") << "nothing of the linked file reaches the dead-letter store";
  EXPECT_TRUE(fs::is_symlink(dir_ / "spool" / "x.csv"));
  StopCleanly(*daemon_);
}

TEST_F(FileTrust, FifosEvenSwappedInAfterTheListingNeverBlockTheSource) {
  fs::create_directories(dir_ / "spool");
  ASSERT_EQ(::mkfifo((dir_ / "spool" / "pipe.csv").c_str(), 0600), 0);
  Start();
  // A writer swaps a FIFO and a regular file under one name as fast as it
  // can, so that some listings see a file that is a FIFO by the time it is opened.
  for (int i = 0; i < 300; ++i) {
    WriteFile(dir_ / "spool" / ".regular", Csv("swap@example.com", "Swap"));
    fs::rename(dir_ / "spool" / ".regular", dir_ / "spool" / "swap.csv");
    ASSERT_EQ(::mkfifo((dir_ / "spool" / ".fifo").c_str(), 0600), 0);
    fs::rename(dir_ / "spool" / ".fifo", dir_ / "spool" / "swap.csv");
  }
  Drop(dir_, "after.csv", Csv("after@example.com", "After"));
  ASSERT_TRUE(
      WaitFor([&] { return SandboxLeads(sandbox_.port()).count("after@example.com") == 1; }, seconds(30)))
      << daemon_->Stderr();
  EXPECT_GE(SourceErrors(), 1);
  StopCleanly(*daemon_);  // a queue thread blocked in open() would never let it finish
}

TEST_F(FileTrust, SparseFileOverMaxFileSizeIsSkippedAndNewerFilesGoOn) {
  fs::create_directories(dir_ / "spool");
  const fs::path huge = dir_ / "spool" / "huge.jsonl";
  {
    const int fd = ::open(huge.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, off_t{4} << 30), 0);  // 4 GiB of holes
    ::close(fd);
  }
  fs::last_write_time(huge,
                      fs::file_time_type::clock::now() - std::chrono::hours(1));  // older: first in line
  Start();
  Drop(dir_, "newer.csv", Csv("newer@example.com", "Newer"));
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox_.port(), 1); }, seconds(30))) << daemon_->Stderr();
  EXPECT_GE(SourceErrors(), 1);
  EXPECT_TRUE(fs::exists(huge)) << "left in place";
  StopCleanly(*daemon_);
}

std::string WideLine(int attributes) {
  std::string line = R"({"EmailAddress":"wide@example.com")";
  for (int i = 0; i < attributes; ++i)
    line += ",\"mx_A" + std::to_string(i) + "\":\"v" + std::to_string(i) + "\"";
  return line + "}\n";
}

TEST_F(FileTrust, FortyThousandAttributeLineIsRejectedByTheDefaultCapAndTheRestIngested) {
  Start();
  Drop(dir_, "wide.jsonl",
       R"({"EmailAddress":"before@example.com"})"
       "\n" +
           WideLine(40'000) +
           R"({"EmailAddress":"after@example.com"})"
           "\n");
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox_.port(), 2); }, seconds(30))) << daemon_->Stderr();
  const RunResult dlq = Leadsync({"dlq", "-c", config_.string(), "list", "--json"});
  EXPECT_NE(dlq.out.find("wide.jsonl:2: more than 1000 attributes (max_attributes)"), std::string::npos)
      << dlq.out;
  EXPECT_EQ(MetricValue(metrics_, "leadsync_records_rejected_total", "reason=\"too_many_attributes\""), 1);
  StopCleanly(*daemon_);
}

TEST_F(FileTrust, FortyThousandAttributeLineWithinARaisedCapIsIngestedInLinearTime) {
  Start("    max_attributes: 50000\n");
  Drop(dir_, "wide.jsonl", WideLine(40'000));
  // Quadratic handling took 41 s for this line; linear takes well under a second.
  ASSERT_TRUE(WaitFor([&] { return QueueStats(config_).ingested["spool"] == 1; }, seconds(10)))
      << daemon_->Stderr();
  StopCleanly(*daemon_);
}

TEST_F(FileTrust, NameOfNameMaxBytesDroppedTwiceIsRetiredBothTimes) {
  const std::string name = std::string(NAME_MAX - 4, 'n') + ".csv";
  Start();
  Drop(dir_, name, Csv("first@example.com", "First"));
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox_.port(), 1); }, seconds(30))) << daemon_->Stderr();
  ASSERT_TRUE(WaitFor([&] { return !fs::exists(dir_ / "spool" / name); }, seconds(10)));
  Drop(dir_, name, Csv("second@example.com", "Second"));
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox_.port(), 2); }, seconds(30))) << daemon_->Stderr();
  ASSERT_TRUE(WaitFor([&] { return !fs::exists(dir_ / "spool" / name); }, seconds(10)));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "spool" / "done"), fs::directory_iterator()), 2);
  EXPECT_EQ(SourceErrors(), 0);
  StopCleanly(*daemon_);
}

TEST_F(FileTrust, DoneThatIsALinkIsRefusedAndNothingIsRedirected) {
  fs::create_directories(dir_ / "spool");
  fs::create_directories(dir_ / "elsewhere");
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "spool" / "done");
  Drop(dir_, "a.csv", Csv("a@example.com", "A"));
  Start();
  // The refusal comes before the first listing: once it is counted, nothing is read.
  ASSERT_TRUE(WaitFor([&] { return SourceErrors() >= 1; }, seconds(20))) << daemon_->Stderr();
  std::string log;
  const std::string refused = (dir_ / "spool" / "done").string() + " is a symbolic link: not used";
  EXPECT_TRUE(
      WaitFor([&] { return (log += daemon_->Stderr()).find(refused) != std::string::npos; }, seconds(10)))
      << log;
  EXPECT_TRUE(fs::exists(dir_ / "spool" / "a.csv")) << "left in place";
  EXPECT_TRUE(fs::is_empty(dir_ / "elsewhere"));
  EXPECT_EQ(QueueStats(config_).ingested["spool"], 0);
  StopCleanly(*daemon_);
}

TEST(ConfigFiles, AFifoOrADeviceIsAClearErrorNotAHang) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "config.yaml").c_str(), 0600), 0);
  RunResult check = Leadsync({"check", "-c", (dir / "config.yaml").string()});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find("not a regular file (a FIFO)"), std::string::npos) << check.err;

  const auto config = WriteSourcesConfig(dir, {.sources = SpoolSource(dir)});
  std::string yaml = ReadFile(config);
  yaml.replace(yaml.find("secret_key: sandbox-secret-key"), 30, "secret_key_file: /dev/zero");
  WriteFile(config, yaml);
  check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find("secret_key_file: cannot read '/dev/zero': not a regular file (a device)"),
            std::string::npos)
      << check.err;
}

}  // namespace
}  // namespace leadsync::testing
