// What an operator meets typing commands by hand: a typo names what was
// meant, an empty answer says so, tables have headers, `dlq list` filters,
// and -c may be left out.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::hours;

RunResult LeadsyncWithConfigVariable(const std::vector<std::string>& args, const std::string& value) {
  std::vector<std::string> argv = {LEADSYNC_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, "", {"LEADSYNC_CONFIG=" + value});
}

TEST(CliHabits, AMistypedCommandOrOptionNamesTheClosestOne) {
  const RunResult command = Leadsync({"queue", "stauts"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("leadsync: unknown command 'stauts'; did you mean 'stats'?"), std::string::npos)
      << command.err;
  const RunResult top = Leadsync({"enquue", "-c", "x.yaml"});
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_NE(top.err.find("unknown command 'enquue'; did you mean 'enqueue'?"), std::string::npos) << top.err;
  const RunResult version = Leadsync({"--verison"});
  EXPECT_EQ(version.exit_code, 2);
  EXPECT_NE(version.err.find("unknown option '--verison'; did you mean '--version'?"), std::string::npos)
      << version.err;
  const RunResult option = Leadsync({"dlq", "list", "--sorce", "crm"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("unknown option '--sorce'; did you mean '--source'?"), std::string::npos)
      << option.err;
  const RunResult bogus = Leadsync({"bogus"});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_NE(bogus.err.find("unknown command 'bogus'"), std::string::npos) << bogus.err;
  EXPECT_EQ(bogus.err.find("A subcommand is required"), std::string::npos) << bogus.err;
}

TEST(CliHabits, ConfigComesFromTheEnvironmentAndAMissingOneHasNoPosition) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  const RunResult from_env = LeadsyncWithConfigVariable({"check"}, config.string());
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  const RunResult missing = LeadsyncWithConfigVariable({"queue", "stats"}, (dir / "nope.yaml").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, (dir / "nope.yaml").string() + ": cannot read: No such file or directory\n");
  const RunResult help = Leadsync({"queue", "--help"});
  EXPECT_NE(help.out.find("/etc/leadsync/leadsync.yaml"), std::string::npos) << help.out;
}

TEST(CliHabits, EmptyResultsSaySoAndTablesHaveHeaders) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  ASSERT_EQ(Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, "EmailAddress\na@x.com\n")
                .exit_code,
            0);
  const RunResult dlq = Leadsync({"dlq", "-c", config.string(), "list"});
  EXPECT_EQ(dlq.exit_code, 0);
  EXPECT_EQ(dlq.out, "no dead letters\n");
  const RunResult history = Leadsync({"history", "-c", config.string(), "A@x.com"});
  EXPECT_EQ(history.exit_code, 0);
  EXPECT_EQ(history.out, "no history for emailaddress:a@x.com\n");

  ASSERT_EQ(
      Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, "FirstName\nNoKey\n").exit_code,
      1);
  const RunResult listed = Leadsync({"dlq", "-c", config.string(), "list"});
  EXPECT_EQ(listed.out.rfind("id\tkey\tsource\treason\tstatus\texception\tmessage\n", 0), 0u) << listed.out;
}

TEST(CliHabits, AnEmptyQueuesAgeIsAPlainZeroInJson) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  ASSERT_EQ(
      Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, "FirstName\nNoKey\n").exit_code,
      1);
  const RunResult stats = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  EXPECT_NE(stats.out.find("\"oldest_age_seconds\":0,"), std::string::npos) << stats.out;
}

TEST(CliHabits, DlqListFiltersBySourceReasonAndAge) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  ASSERT_EQ(
      Leadsync({"enqueue", "-c", config.string(), "--format", "csv", "-"}, "FirstName\nNoKey\n").exit_code,
      1);
  // A second dead letter from another source, dead-lettered ten days ago.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "queue.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "INSERT INTO dead_letters(key, source, reason, first_seen, dead_lettered_at, record) "
                   "SELECT 'emailaddress:old@x.com', 'crm', 'bad_request', dead_lettered_at - 864000000, "
                   "dead_lettered_at - 864000000, '[]' FROM dead_letters",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto list = [&](std::vector<std::string> filter) {
    std::vector<std::string> args = {"dlq", "-c", config.string(), "list"};
    args.insert(args.end(), filter.begin(), filter.end());
    return Leadsync(args).out;
  };
  // The entry rejected at ingest shows as "\trejected\t", the other by its key.
  const std::string rejected = "\trejected\t";
  EXPECT_NE(list({}).find("old@x.com"), std::string::npos);
  EXPECT_NE(list({}).find(rejected), std::string::npos);
  EXPECT_EQ(list({"--source", "crm"}).find(rejected), std::string::npos);
  EXPECT_NE(list({"--source", "crm"}).find("old@x.com"), std::string::npos);
  EXPECT_EQ(list({"--reason", "rejected"}).find("old@x.com"), std::string::npos);
  EXPECT_NE(list({"--reason", "rejected"}).find(rejected), std::string::npos);
  EXPECT_NE(list({"--older-than", "7d"}).find("old@x.com"), std::string::npos);
  EXPECT_EQ(list({"--older-than", "7d"}).find(rejected), std::string::npos);
  EXPECT_NE(list({"--newer-than", "1h"}).find(rejected), std::string::npos);
  EXPECT_EQ(list({"--newer-than", "1h"}).find("old@x.com"), std::string::npos);
  EXPECT_EQ(list({"--source", "nobody"}), "no dead letters match\n");
  const RunResult bad = Leadsync({"dlq", "-c", config.string(), "list", "--older-than", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--older-than: not a duration: soon"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace leadsync::testing
