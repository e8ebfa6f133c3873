// The command line as users and scripts see it: exit codes and output.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/canned_server.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;

TEST(Cli, VersionPrintsTheVersion) {
  RunResult r = Leadsync({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find(LEADSYNC_VERSION), std::string::npos) << r.out;
}

TEST(Cli, UsageErrorExitsTwo) {
  EXPECT_EQ(Leadsync({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(Leadsync({"run", "extra"}).exit_code, 2);
}

TEST(Cli, CheckReportsFileLineAndColumn) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1", "  batch_size: 26\n");
  RunResult r = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(config.string() + ":5:15:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("batch_size"), std::string::npos) << r.err;
}

TEST(Cli, CheckAcceptsTheExampleConfig) {
  RunResult r = Leadsync({"check", "-c", std::string(LEADSYNC_SOURCE_DIR) + "/config/leadsync.example.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, EnqueueDryRunPrintsOneBodyPerCallAndLeavesTheQueueAlone) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1", "  batch_size: 2\n");
  const std::string input =
      "{\"EmailAddress\":\"a@x.com\",\"FirstName\":\"A\"}\n{\"EmailAddress\":\"b@x.com\"}\n"
      "{\"EmailAddress\":\"A@x.com\",\"LastName\":\"Z\"}\n{\"EmailAddress\":\"c@x.com\"}\n";
  RunResult r = Leadsync({"enqueue", "-c", config.string(), "--format", "jsonl", "--dry-run", "-"}, input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "[[{\"Attribute\":\"EmailAddress\",\"Value\":\"A@x.com\"},{\"Attribute\":\"FirstName\",\"Value\":"
            "\"A\"},"
            "{\"Attribute\":\"LastName\",\"Value\":\"Z\"}],[{\"Attribute\":\"EmailAddress\",\"Value\":\"b@x."
            "com\"}]]\n"
            "[[{\"Attribute\":\"EmailAddress\",\"Value\":\"c@x.com\"}]]\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "queue.db"));
}

TEST(Cli, EnqueueRejectsBadLinesByFileAndLineAndKeepsTheRest) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  WriteFile(dir / "in.csv", "EmailAddress,FirstName\na@x.com,A\n,NoKey\nb@x.com,B\n");
  RunResult r = Leadsync({"enqueue", "-c", config.string(), (dir / "in.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("in.csv:3: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("rec/s"), std::string::npos) << "a progress line without a terminal";
  json::value stats = json::parse(Leadsync({"queue", "-c", config.string(), "stats", "--json"}).out);
  EXPECT_EQ(stats.at("pending").as_int64(), 2);
  EXPECT_EQ(stats.at("dead_letter").as_int64(), 1);
  json::value dead = json::parse(Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out);
  ASSERT_EQ(dead.as_array().size(), 1u);
  EXPECT_TRUE(dead.at(0).at("status").is_null());
  EXPECT_NE(std::string(dead.at(0).at("message").as_string()).find("in.csv:3"), std::string::npos);
}

TEST(Cli, DlqPurgeNeedsIdsOrAll) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  WriteFile(dir / "in.jsonl", "{\"FirstName\":\"no key\"}\n");
  (void)Leadsync({"enqueue", "-c", config.string(), (dir / "in.jsonl").string()});
  EXPECT_EQ(Leadsync({"dlq", "-c", config.string(), "purge"}).exit_code, 2);
  RunResult r = Leadsync({"dlq", "-c", config.string(), "purge", "--all"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out, "[]\n");
}

TEST(Cli, QueueCheckPassesOnAHealthyFile) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  WriteFile(dir / "in.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n");
  ASSERT_EQ(Leadsync({"enqueue", "-c", config.string(), (dir / "in.jsonl").string()}).exit_code, 0);
  RunResult r = Leadsync({"queue", "-c", config.string(), "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace leadsync::testing

namespace leadsync::testing {
namespace {

TEST(CliOnline, CheckOnlineAcceptsTheSandboxKeysAndHost) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url());
  RunResult r = Leadsync({"check", "-c", config.string(), "--online"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("127.0.0.1:" + std::to_string(sandbox.port())), std::string::npos) << r.out;
}

TEST(CliOnline, CheckOnlineRejectsWrongKeys) {
  TempDir dir;
  SandboxProcess sandbox({"--secret-key", "another"});
  RunResult r = Leadsync({"check", "-c", WriteDaemonConfig(dir, sandbox.url()).string(), "--online"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refused the keys"), std::string::npos) << r.err;
}

TEST(CliOnline, CheckOnlineNamesTheAccountsHostWhenTheConfigPointsElsewhere) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::string elsewhere = "http://localhost:" + std::to_string(sandbox.port());
  RunResult r = Leadsync({"check", "-c", WriteDaemonConfig(dir, elsewhere).string(), "--online"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("set leadsquared.api_host to https://127.0.0.1:" + std::to_string(sandbox.port())),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace leadsync::testing

namespace leadsync::testing {
namespace {

TEST(CliCredentials, InspectionCommandsWorkWithoutTheCredentials) {
  TempDir dir;
  const auto config = WriteDaemonConfig(dir, "http://127.0.0.1:1");
  std::string yaml = ReadFile(config);
  const std::string inline_key = "secret_key: sandbox-secret-key";
  WriteFile(config, yaml.replace(yaml.find(inline_key), inline_key.size(),
                                 "secret_key_file: ${LEADSYNC_TEST_UNSET_DIR}/lsq-secret"));
  WriteFile(dir / "in.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n");
  EXPECT_EQ(Leadsync({"enqueue", "-c", config.string(), (dir / "in.jsonl").string()}).exit_code, 0);
  EXPECT_EQ(Leadsync({"queue", "-c", config.string(), "stats"}).exit_code, 0);
  EXPECT_EQ(Leadsync({"dlq", "-c", config.string(), "list"}).exit_code, 0);
  EXPECT_EQ(Leadsync({"history", "-c", config.string(), "a@x.com"}).exit_code, 0);
  // The daemon and check need the keys, and say which variable is missing.
  RunResult check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find("LEADSYNC_TEST_UNSET_DIR"), std::string::npos) << check.err;
}

}  // namespace
}  // namespace leadsync::testing

namespace leadsync::testing {
namespace {

// With `auth: query` the keys travel in the URL; a proxy's error page may
// echo it in any encoding. None of the forms may reach the log, the
// dead-letter store or what `check` prints.
TEST(KeyRedaction, NoFormOfAKeyAProxyEchoesReachesLogsDeadLettersOrCheck) {
  const std::string echo =
      "no route for /x?accessKey=ak%2bKey%2f1%3d&secretKey=sk+Key%2f2%3f; decoded: ak+Key/1= sk Key/2?; "
      "upper: ak%2BKey%2F1%3D sk%20Key%2F2%3F";
  const std::string body =
      R"({"Status":"Error","ExceptionType":"MXInvalidRequestException","ExceptionMessage":")" + echo +
      R"("})";
  CannedServer proxy({{CannedReply::Action::kAnswer, HttpResponse(400, body)}});
  TempDir dir;
  const auto config = dir / "leadsync.yaml";
  WriteFile(
      config,
      "leadsquared:\n  api_host: http://127.0.0.1:" + std::to_string(proxy.port()) +
          "\n  access_key: \"ak+Key/1=\"\n  secret_key: \"sk Key/2?\"\n  auth: query\nqueue:\n  path: " +
          (dir / "queue.db").string() + "\nsources:\n  - name: spool\n    type: spool\n    path: " +
          (dir / "spool").string() + "\nlog:\n  level: debug\nshutdown_timeout: 5s\n");
  std::filesystem::create_directories(dir / "spool");
  WriteFile(dir / "spool" / "a.jsonl", R"({"EmailAddress":"a@example.com","FirstName":"A"})"
                                       "\n");

  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor(
      [&] {
        const RunResult stats = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
        return stats.out.find("\"dead_letter\":1") != std::string::npos;
      },
      std::chrono::seconds(30)))
      << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(std::chrono::seconds(30)), 0);
  const RunResult dead = Leadsync({"dlq", "-c", config.string(), "list", "--json"});
  const RunResult check = Leadsync({"check", "-c", config.string(), "--online"});

  ASSERT_NE(proxy.request_heads().at(0).find("?accessKey=ak%2BKey%2F1%3D"), std::string::npos)
      << proxy.request_heads().at(0);
  EXPECT_NE(dead.out.find("[redacted]"), std::string::npos) << dead.out;
  const std::string seen = daemon->Stderr() + dead.out + dead.err + check.out + check.err;
  for (const std::string form :
       {"ak+Key/1=", "ak%2bKey", "ak%2BKey", "sk Key/2?", "sk+Key", "sk%20Key", "Key%2f2", "Key%2F2"}) {
    EXPECT_EQ(seen.find(form), std::string::npos) << form << " in: " << seen;
  }
}

}  // namespace
}  // namespace leadsync::testing
