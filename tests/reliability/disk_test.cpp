// The queue on a filesystem that fills up: a 16 MiB tmpfs where the test may
// mount one (root), else a file-size limit on the daemon (RLIMIT_FSIZE). Ingest
// stops with an error that names the queue file, and a metric; the spool file
// stays; what was committed stays sound (`queue check`); once space returns,
// ingest resumes by itself and every lead reaches the API.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "tests/reliability/lead_versions.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr int kLeads = 3000;
constexpr std::uint64_t kRoom = 512 * 1024;  // what is left free for the queue

// A directory that runs out of space: a small tmpfs, with a ballast file
// that leaves kRoom free until Free() deletes it. Unmounted when destroyed.
class SmallDisk final {
 public:
  explicit SmallDisk(fs::path dir) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=16m,mode=0700") == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  [[nodiscard]] bool mounted() const { return mounted_; }

  void Fill() {
    const int fd = ::open((dir_ / "ballast").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    const std::string block(64 * 1024, 'b');
    while (FreeBytes() > kRoom + block.size()) {
      ASSERT_EQ(::write(fd, block.data(), block.size()), static_cast<ssize_t>(block.size()));
    }
    ::close(fd);
  }
  void Free() { fs::remove(dir_ / "ballast"); }

 private:
  [[nodiscard]] std::uint64_t FreeBytes() const {
    struct statvfs st {};
    if (::statvfs(dir_.c_str(), &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
  }

  fs::path dir_;
  bool mounted_ = false;
};

class DiskFull : public ::testing::Test {
 protected:
  DiskFull() {
    fs::create_directories(dir_ / "spool");
    config_ = WriteSourcesConfig(
        dir_, {.api_host = sandbox_.url(),
               .sources = "  - name: spool\n    type: spool\n    path: " + (dir_ / "spool").string() + "\n",
               .queue_path = queue_,
               .metrics_port = metrics_port_});
  }

  // Leads large enough that the queue needs a few MiB.
  std::string LeadFile() {
    std::string text;
    const std::string notes(600, 'n');
    for (int i = 0; i < kLeads; ++i) {
      const LeadChange change = versions_.Next("d" + std::to_string(i) + "@disk.test");
      text += change.Json();
      text.insert(text.size() - 1, ",\"mx_Notes\":\"" + notes + "\"");
      text += "\n";
    }
    return text;
  }

  // The daemon, under a file-size limit when no tmpfs could be mounted.
  std::unique_ptr<Process> Start() {
    if (disk_.mounted()) return StartDaemon(config_);
    limited_ = true;
    return std::make_unique<Process>(
        std::vector<std::string>{"/usr/bin/prlimit", "--fsize=" + std::to_string(kRoom) + ":unlimited",
                                 LEADSYNC_BINARY, "run", "-c", config_.string()});
  }

  void GiveSpaceBack(const Process& daemon) {
    if (!limited_) return disk_.Free();
    ASSERT_EQ(testing::Run({"/usr/bin/prlimit", "--pid", std::to_string(daemon.pid()), "--fsize=unlimited"})
                  .exit_code,
              0);
  }

  double QueueErrors(const std::string& reason) {
    return MetricValue(metrics_port_, "leadsync_queue_errors_total", "reason=\"" + reason + "\"")
        .value_or(-1);
  }

  SandboxProcess sandbox_{{"--rate-limit", "1000/1"}};
  TempDir dir_;
  fs::path queue_ = dir_ / "disk" / "queue.db";
  SmallDisk disk_{dir_ / "disk"};  // after dir_: unmounted before it is removed
  std::uint16_t metrics_port_ = FreePort();
  fs::path config_;
  LeadVersions versions_;
  bool limited_ = false;
};

TEST_F(DiskFull, IngestStopsClearlyKeepsTheFileAndResumesWhenSpaceReturns) {
  if (disk_.mounted()) disk_.Fill();
  std::printf("the queue's filesystem: %s\n", disk_.mounted() ? "a 16 MiB tmpfs" : "RLIMIT_FSIZE (no mount)");
  auto daemon = Start();
  ASSERT_TRUE(WaitFor([&] { return daemon->Stderr().find(" running: ") != std::string::npos; }, seconds(20)))
      << daemon->Stderr();
  DropFile(dir_ / "spool", "leads.jsonl", LeadFile());

  std::string log;
  ASSERT_TRUE(WaitFor(
      [&] {
        log = daemon->Stderr();
        return log.find("source spool failed: ") != std::string::npos;
      },
      seconds(60)))
      << log;
  if (!limited_) {
    EXPECT_NE(log.find("source spool failed: " + queue_.string() +
                       ": database or disk is full: the write was rolled back; free space on the "
                       "filesystem that holds it"),
              std::string::npos)
        << log;
    EXPECT_GE(QueueErrors("disk_full"), 1);
  } else {
    EXPECT_GE(QueueErrors("disk_full") + QueueErrors("io"), 1);
  }
  EXPECT_TRUE(fs::exists(dir_ / "spool" / "leads.jsonl")) << "the spool file stays until it is committed";
  const RunResult check = Leadsync({"queue", "-c", config_.string(), "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  GiveSpaceBack(*daemon);
  EXPECT_TRUE(WaitFor([&] { return versions_.Mismatches(sandbox_.port(), 1).empty(); }, seconds(120)))
      << ::testing::PrintToString(versions_.Mismatches(sandbox_.port()));
  EXPECT_TRUE(WaitFor([&] { return !fs::exists(dir_ / "spool" / "leads.jsonl"); }, seconds(20)));
  EXPECT_EQ(MetricValue(metrics_port_, "leadsync_records_ingested_total", "source=\"spool\""), kLeads);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(30)), 0) << daemon->Stderr();
  const RunResult after = Leadsync({"queue", "-c", config_.string(), "check"});
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
}

// Bytes overwritten in the middle of the file, in pages the daemon does not
// read to start: its background check finds them, says what to do, and stops
// the daemon with exit code 3, which the unit does not restart on; `queue
// check` reports them too. Overwritten where opening reads, the start stops.
TEST(DamagedQueue, OverwrittenBytesAreFoundAtStartAndByQueueCheck) {
  TempDir dir;
  fs::create_directories(dir / "spool");
  const fs::path config = WriteSourcesConfig(
      dir, {.sources = "  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() + "\n"});
  LeadVersions versions;
  std::vector<LeadChange> changes;
  for (int i = 0; i < 5000; ++i) changes.push_back(versions.Next("q" + std::to_string(i) + "@disk.test"));
  WriteFile(dir / "leads.jsonl", Jsonl(changes));
  const RunResult enqueued = Leadsync({"enqueue", "-c", config.string(), (dir / "leads.jsonl").string()});
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
  ASSERT_EQ(Leadsync({"queue", "-c", config.string(), "check"}).exit_code, 0);

  const fs::path queue = dir / "queue.db";
  ASSERT_FALSE(fs::exists(queue.string() + "-wal") && fs::file_size(queue.string() + "-wal") > 0);
  const std::uintmax_t middle_page = fs::file_size(queue) / 4096 / 2;
  {
    const int fd = ::open(queue.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const std::string junk(512, '\xff');
    ASSERT_EQ(::pwrite(fd, junk.data(), junk.size(), static_cast<off_t>(middle_page * 4096)),
              static_cast<ssize_t>(junk.size()));
    ::close(fd);
  }

  auto daemon = StartDaemon(config);
  const std::optional<int> code = daemon->Wait(seconds(60));
  const std::string log = daemon->Stderr();
  EXPECT_EQ(code, 3) << log;
  EXPECT_NE(log.find(" running: "), std::string::npos) << "found after start, not by opening the file\n"
                                                       << log;
  EXPECT_NE(log.find("queue file " + queue.string() + " is damaged ("), std::string::npos) << log;
  EXPECT_NE(log.find("run `leadsync queue check` for details"), std::string::npos) << log;

  const RunResult check = Leadsync({"queue", "-c", config.string(), "check"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.err.find(queue.string() + ": "), std::string::npos) << check.err;

  const std::string header_junk(100, '\xff');
  WriteFile(queue, header_junk + ReadFile(queue).substr(header_junk.size()));
  auto again = StartDaemon(config);
  EXPECT_EQ(again->Wait(seconds(30)), 3) << again->Stderr();
  EXPECT_NE(again->Stderr().find("cannot start: queue file " + queue.string() + " is damaged ("),
            std::string::npos)
      << again->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
