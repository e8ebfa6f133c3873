// The queue file as an operator keeps it: a backup taken while the daemon
// dispatches and restored after a crash, and the salvage of a damaged file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// The e-mail of every record a queue file holds (pending, waiting, held or
// in flight), as SandboxLeads keys them.
std::set<std::string> QueuedEmails(const fs::path& file) {
  std::set<std::string> emails;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT key FROM records", -1, &s, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string key = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    emails.insert(key.substr(key.find(':') + 1));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return emails;
}

std::string Csv(int first, int n) {
  std::string csv = "EmailAddress,FirstName\n";
  for (int i = first; i < first + n; ++i)
    csv += "b" + std::to_string(i) + "@backup.test,B" + std::to_string(i) + "\n";
  return csv;
}

std::set<std::string> Missing(const std::set<std::string>& wanted, std::uint16_t sandbox_port) {
  const auto leads = SandboxLeads(sandbox_port);
  std::set<std::string> missing;
  for (const std::string& email : wanted) {
    if (leads.count(email) == 0) missing.insert(email);
  }
  return missing;
}

// Backed up mid-dispatch (calls slowed by the sandbox, some in flight), the
// daemon killed, the file replaced by the backup: every record the backup
// held, pending or in flight, reaches LeadSquared after the restart.
TEST(QueueBackup, RestoredAfterAKillLosesNothingTheBackupHeld) {
  TempDir dir;
  SandboxProcess sandbox({"--latency", "300"});
  const std::string slow =
      "  linger: 0s\n  batch_size: 2\n  max_in_flight: 2\n  rate_limit: { requests: 4, per: 1s }\n";
  const fs::path config = WriteDaemonConfig(dir, sandbox.url(), slow);
  const RunResult enqueued =
      Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, Csv(0, 200));
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() >= 6; }, seconds(30)))
      << daemon->Stderr();

  const fs::path backup = dir / "backups" / "queue-copy.db";
  fs::create_directories(backup.parent_path());
  const RunResult copied = Leadsync({"queue", "-c", config.string(), "backup", backup.string()});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_NE(copied.out.find("backed up " + (dir / "queue.db").string() + " to " + backup.string()),
            std::string::npos)
      << copied.out;
  EXPECT_NE(copied.out.find(" pending, "), std::string::npos) << copied.out;
  daemon->Signal(SIGKILL);
  (void)daemon->Wait(seconds(10));

  struct stat st {};
  ASSERT_EQ(::stat(backup.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(backup.string() + "-wal"));
  const std::set<std::string> held = QueuedEmails(backup);
  ASSERT_GT(held.size(), 0u);
  ASSERT_LT(held.size(), 200u) << "taken while dispatching";
  EXPECT_FALSE(Missing(held, sandbox.port()).empty()) << "the test needs leads only the backup still holds";

  const RunResult again = Leadsync({"queue", "-c", config.string(), "backup", backup.string()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists; add --force"), std::string::npos) << again.err;

  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(dir.path().string() + "/queue.db" + suffix);
  fs::copy_file(backup, dir / "queue.db");
  const fs::path fast = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  auto restarted = StartDaemon(fast);
  EXPECT_TRUE(WaitFor([&] { return Missing(held, sandbox.port()).empty(); }, seconds(60)))
      << Missing(held, sandbox.port()).size() << " missing\n"
      << restarted->Stderr();
  restarted->Signal(SIGTERM);
  EXPECT_EQ(restarted->Wait(seconds(30)), 0) << restarted->Stderr();
}

TEST(QueueBackup, ForceReplacesAnExistingFile) {
  TempDir dir;
  SandboxProcess sandbox;
  const fs::path config = WriteDaemonConfig(dir, sandbox.url());
  ASSERT_EQ(Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, Csv(0, 3)).exit_code, 0);
  const fs::path backup = dir / "copy.db";
  WriteFile(backup, "old");
  const RunResult copied = Leadsync({"queue", "-c", config.string(), "backup", "--force", backup.string()});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_NE(copied.out.find(": 3 pending, 0 in flight, 0 dead letters"), std::string::npos) << copied.out;
  EXPECT_EQ(QueuedEmails(backup).size(), 3u);
}

// Bytes overwritten over a page of the records table (the one holding one
// lead's text) in a queue of 5000: the salvage copies every row it can read
// into a valid new file and counts the rest.
TEST(QueueSalvage, CopiesTheReadableRowsOfADamagedFile) {
  TempDir dir;
  SandboxProcess sandbox;
  const fs::path config = WriteDaemonConfig(dir, sandbox.url());
  ASSERT_EQ(Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, Csv(0, 5000)).exit_code, 0);
  const fs::path queue = dir / "queue.db";
  ASSERT_FALSE(fs::exists(queue.string() + "-wal") && fs::file_size(queue.string() + "-wal") > 0);
  const RunResult whole = Leadsync({"queue", "salvage", queue.string(), (dir / "whole.db").string()});
  EXPECT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(QueuedEmails(dir / "whole.db").size(), 5000u);
  const std::size_t at = ReadFile(queue).find("\"Value\":\"b2500@backup.test\"");
  ASSERT_NE(at, std::string::npos);
  {
    const int fd = ::open(queue.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const std::string junk(512, '\xff');
    ASSERT_EQ(::pwrite(fd, junk.data(), junk.size(), static_cast<off_t>(at / 4096 * 4096)),
              static_cast<ssize_t>(junk.size()));
    ::close(fd);
  }
  ASSERT_EQ(Leadsync({"queue", "-c", config.string(), "check"}).exit_code, 1);

  const fs::path salvaged = dir / "salvaged.db";
  const RunResult salvage = Leadsync({"queue", "salvage", queue.string(), salvaged.string()});
  ASSERT_EQ(salvage.exit_code, 3) << salvage.err;
  EXPECT_NE(salvage.err.find("without what could not be read"), std::string::npos) << salvage.err;
  const std::set<std::string> kept = QueuedEmails(salvaged);
  const std::size_t copied = kept.size();
  EXPECT_EQ(kept.count("b2500@backup.test"), 0u);
  EXPECT_EQ(kept.count("b0@backup.test") + kept.count("b4999@backup.test"), 2u);
  EXPECT_GT(copied, 4000u) << salvage.out;
  EXPECT_LT(copied, 5000u) << salvage.out;
  EXPECT_NE(salvage.out.find("table"), std::string::npos) << salvage.out;
  EXPECT_NE(salvage.out.find(std::to_string(5000 - copied) + " rows, in ids "), std::string::npos)
      << salvage.out;

  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(queue.string() + suffix);
  fs::rename(salvaged, queue);
  const RunResult check = Leadsync({"queue", "-c", config.string(), "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  const RunResult stats = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  EXPECT_NE(stats.out.find("\"pending\":" + std::to_string(copied)), std::string::npos) << stats.out;

  const RunResult twice = Leadsync({"queue", "salvage", queue.string(), queue.string()});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("already exists"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace leadsync::testing
