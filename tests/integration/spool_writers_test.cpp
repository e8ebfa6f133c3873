// Spool writers cannot read each other's files nor trap what the daemon
// ingests: two writers and the daemon as three local users, on the spool the
// package ships (its sysusers.d and tmpfiles.d entries applied to a scratch
// root), with the real binary running as the leadsync account.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <regex>

#include "tests/support/as_user.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

fs::path SystemdDir() { return fs::path(LEADSYNC_SOURCE_DIR) / "systemd"; }

// The absolute path of a systemd tool, or "" (Run() does not search $PATH).
std::string SystemTool(const std::string& name) {
  for (const std::string dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
    if (::access((dir + name).c_str(), X_OK) == 0) return dir + name;
  }
  return "";
}

// The first number `pattern` captures in `file`, or 0.
unsigned NumberIn(const fs::path& file, const std::string& pattern) {
  std::smatch match;
  const std::string text = ReadFile(file);
  return std::regex_search(text, match, std::regex(pattern)) ? std::stoul(match[1].str()) : 0;
}

mode_t Mode(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 07777;
}

std::string Csv(const std::string& email) { return "EmailAddress\n" + email + "\n"; }

class SpoolWriters : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanActAsOtherUsers()) {
      GTEST_SKIP() << "needs root: acts as the daemon and two writers (setresuid), and tmpfiles chowns";
    }
    ::chmod(dir_.path().c_str(), 0755);  // every user reaches the scratch root and the config
    ApplyPackagedEntries();
    const unsigned writers = NumberIn(root_ / "etc/group", R"((?:^|\n)leadsync-writers:x:(\d+):)");
    daemon_ = {NumberIn(root_ / "etc/passwd", R"((?:^|\n)leadsync:x:(\d+):)"),
               NumberIn(root_ / "etc/group", R"((?:^|\n)leadsync:x:(\d+):)"),
               {}};
    ASSERT_NE(writers, 0u);
    ASSERT_NE(daemon_.uid, 0u);
    writer_a_ = {61001, 61001, {writers}};
    writer_b_ = {61002, 61002, {writers}};
    fs::create_directories(dir_ / "state");
    ChangeOwner(dir_ / "state", daemon_.uid, daemon_.gid);
    ::chmod((dir_ / "state").c_str(), 0700);
  }

  // systemd-sysusers and systemd-tmpfiles --create, as the package's postinst.
  void ApplyPackagedEntries() {
    const std::string sysusers = SystemTool("systemd-sysusers");
    const std::string tmpfiles = SystemTool("systemd-tmpfiles");
    ASSERT_FALSE(sysusers.empty() || tmpfiles.empty()) << "scripts/setup installs the systemd package";
    fs::create_directories(root_ / "etc");
    const RunResult users = leadsync::testing::Run(
        {sysusers, "--root=" + root_.string(), (SystemdDir() / "leadsync.sysusers").string()});
    ASSERT_EQ(users.exit_code, 0) << users.err;
    const RunResult dirs = leadsync::testing::Run(
        {tmpfiles, "--root=" + root_.string(), "--create", (SystemdDir() / "leadsync.tmpfiles").string()});
    ASSERT_EQ(dirs.exit_code, 0) << dirs.err;
  }

  // `leadsync run` as the leadsync account, one spool source on `spool`.
  void StartDaemon(const fs::path& spool) {
    config_ = WriteSourcesConfig(
        dir_, {.api_host = sandbox_.url(),
               .sources = "  - name: spool\n    type: spool\n    path: " + spool.string() + "\n",
               .queue_path = dir_ / "state" / "queue.db",
               .metrics_port = metrics_});
    ChangeOwner(config_, daemon_.uid, daemon_.gid);
    ::chmod(config_.c_str(), 0600);
    daemon_process_ =
        std::make_unique<Process>(CommandAs(daemon_, {LEADSYNC_BINARY, "run", "-c", config_.string()}));
  }
  void StopCleanly() {
    daemon_process_->Signal(SIGTERM);
    EXPECT_EQ(daemon_process_->Wait(seconds(20)), 0) << Log();
  }
  // The daemon's stderr so far.
  const std::string& Log() {
    log_ += daemon_process_->Stderr();
    return log_;
  }
  bool Logged(const std::string& text) { return Log().find(text) != std::string::npos; }
  double Metric(const std::string& name) {
    return MetricValue(metrics_, name, "source=\"spool\"").value_or(-1);
  }
  bool Delivered(const std::string& email) {
    try {
      return SandboxLeads(sandbox_.port()).count(email) == 1;
    } catch (const std::exception&) {
      return false;
    }
  }

  TempDir dir_;
  fs::path root_ = dir_ / "root";
  fs::path spool_ = root_ / "var/spool/leadsync";
  Identity daemon_;
  Identity writer_a_;
  Identity writer_b_;
  SandboxProcess sandbox_;
  std::uint16_t metrics_ = FreePort();
  fs::path config_;
  std::unique_ptr<Process> daemon_process_;
  std::string log_;
};

TEST_F(SpoolWriters, AWriterCannotReadAnotherWritersFilePendingOrIngested) {
  // Umask 022, as most programs run: the spool's default ACL makes it 0604.
  ASSERT_EQ(DropAs(writer_a_, 022, spool_, "a.csv", Csv("a@example.com")), 0);
  EXPECT_EQ(Mode(spool_ / "a.csv"), 0604u);
  EXPECT_EQ(OpenAs(writer_b_, spool_ / "a.csv"), EACCES) << "writer B reads writer A's pending file";
  EXPECT_EQ(OpenAs(daemon_, spool_ / "a.csv"), 0) << "the daemon, neither owner nor group, reads it";

  StartDaemon(spool_);
  ASSERT_TRUE(WaitFor([&] { return Delivered("a@example.com"); }, seconds(30))) << Log();
  ASSERT_TRUE(WaitFor([&] { return fs::exists(spool_ / "done" / "a.csv"); }, seconds(10)));
  EXPECT_EQ(OpenAs(writer_b_, spool_ / "done" / "a.csv"), EACCES);
  EXPECT_EQ(OpenAs(writer_a_, spool_ / "done" / "a.csv"), EACCES) << "done/ is the daemon's alone";
  EXPECT_EQ(Metric("leadsync_source_errors_total"), 0) << Log();
  StopCleanly();
}

TEST_F(SpoolWriters, AFileOtherWritersCanReadIsIngestedAndReported) {
  // The advice before 0604: chmod 0644 before the rename.
  ASSERT_EQ(DropAs(writer_b_, 022, spool_, "b.csv", Csv("b@example.com"), 0644), 0);
  EXPECT_EQ(OpenAs(writer_a_, spool_ / "b.csv"), 0) << "the leak: writer A reads writer B's file";

  StartDaemon(spool_);
  ASSERT_TRUE(WaitFor([&] { return Delivered("b@example.com"); }, seconds(30))) << Log();
  ASSERT_TRUE(WaitFor(
      [&] { return Logged("b.csv: other writers of " + spool_.string() + " can read it (owner uid 61002"); },
      seconds(10)))
      << log_;
  EXPECT_EQ(Metric("leadsync_source_errors_total"), 1);
  StopCleanly();
}

TEST_F(SpoolWriters, ADoneMadeByAWriterIsRefusedAndNothingMovesIntoIt) {
  // A spool of its own for a feed, made as docs/security.md says, but its
  // done/ made first by writer A, who would read and delete what lands there.
  const fs::path feed = spool_ / "signups";
  fs::create_directories(feed);
  ChangeOwner(feed, daemon_.uid, writer_a_.groups[0]);
  ::chmod(feed.c_str(), 03770);
  ASSERT_EQ(RunAs(writer_a_, 0, [&] { return ::mkdir((feed / "done").c_str(), 0777) == 0 ? 0 : errno; }), 0);
  ASSERT_EQ(DropAs(writer_b_, 022, feed, "b.csv", Csv("b@example.com")), 0);

  StartDaemon(feed);
  // The refusal comes before the first listing: once it is logged, nothing
  // is read. Without it, b.csv would soon be in writer A's done/.
  const std::string refused = (feed / "done").string() +
                              " is owned by uid 61001, not by the daemon's user (uid " +
                              std::to_string(daemon_.uid) + "): not used for ingested files";
  ASSERT_TRUE(WaitFor([&] { return Logged(refused) || !fs::exists(feed / "b.csv"); }, seconds(20))) << log_;
  EXPECT_TRUE(fs::exists(feed / "b.csv")) << "writer B's file stays in place";
  EXPECT_TRUE(fs::is_empty(feed / "done")) << "nothing moved into writer A's directory";
  EXPECT_TRUE(Logged(refused)) << log_;
  EXPECT_TRUE(Logged("move it away")) << log_;
  EXPECT_EQ(Metric("leadsync_source_errors_total"), 1);
  EXPECT_EQ(Metric("leadsync_records_ingested_total"), 0);
  StopCleanly();
}

}  // namespace
}  // namespace leadsync::testing
