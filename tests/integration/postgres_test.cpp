// `leadsync run` with a postgres source on a real PostgreSQL 15, delivering
// to `leadsync sandbox`; `leadsync source reset` while it runs.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "tests/support/fake_postgres.hpp"
#include "tests/support/http.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr const char* kPassword = "pg-s3cr3t";
constexpr const char* kLeadsTable =
    "CREATE TABLE leads (id serial PRIMARY KEY, email text, first_name text, city text, score numeric, "
    "vip boolean, signed_up date, updated_at timestamptz NOT NULL DEFAULT clock_timestamp())";
constexpr const char* kQuery =
    "SELECT email AS \"EmailAddress\", first_name AS \"FirstName\", city AS \"mx_City\", score AS "
    "\"mx_Score\", "
    "vip AS \"mx_VIP\", signed_up AS \"mx_Signed_Up\", updated_at AS \"mx_Updated_At\" FROM leads "
    "WHERE updated_at >= $1 ORDER BY updated_at LIMIT 1000";

// A YAML single-quoted scalar.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A daemon config with one postgres source "crm" (polled every 200 ms) and one spool source "files" that
// never gets a file.
std::filesystem::path WriteConfig(const TempDir& dir, const std::string& api_host, const std::string& dsn,
                                  const std::string& query, std::uint16_t metrics_port = 0,
                                  const std::string& cursor = "mx_Updated_At") {
  const std::string yaml =
      "leadsquared:\n  api_host: " + api_host +
      "\n  access_key: sandbox-access-key\n  secret_key: sandbox-secret-key\n  linger: 50ms\n"
      "queue:\n  path: " +
      (dir / "queue.db").string() +
      "\n  sync: normal\n"
      "sources:\n"
      "  - name: crm\n    type: postgres\n    dsn: " +
      Quoted(dsn) + "\n    query: " + Quoted(query) + "\n    cursor: " + cursor +
      "\n    interval: 200ms\n"
      "  - name: files\n    type: spool\n    path: " +
      (dir / "spool").string() + "\nmetrics:\n  listen: 127.0.0.1:" + std::to_string(metrics_port) +
      "\nlog:\n  level: debug\nshutdown_timeout: 5s\n";
  const auto path = dir / "leadsync.yaml";
  WriteFile(path, yaml);
  std::filesystem::create_directories(dir / "spool");
  return path;
}

std::size_t LeadCount(std::uint16_t port) {
  try {
    return SandboxLeads(port).size();
  } catch (const std::exception&) {
    return 0;
  }
}

// How many times `key` was sent, by the delivery journal.
std::size_t TimesSent(const std::filesystem::path& config, const std::string& key) {
  const RunResult r = Leadsync({"history", "-c", config.string(), key, "--json"});
  if (r.exit_code != 0) return 0;
  return json::parse(r.out).as_array().size();
}

json::object Stats(const std::filesystem::path& config) {
  const RunResult r = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out).as_object();
}

class PostgresDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = PostgresServer::Unavailable(); !why.empty()) GTEST_SKIP() << why;
    server_ = std::make_unique<PostgresServer>(std::vector<std::string>{"TimeZone=America/Sao_Paulo"});
    db_ = std::make_unique<PgSession>(server_->dsn());
    db_->Exec(kLeadsTable);
  }

  std::string Dsn() const { return server_->dsn(std::string("password=") + kPassword); }

  TempDir dir_;
  SandboxProcess sandbox_;
  std::unique_ptr<PostgresServer> server_;
  std::unique_ptr<PgSession> db_;
};

TEST_F(PostgresDelivery, RowsReachTheSandboxWithExactValuesAndUpdatesFollow) {
  db_->Exec(
      "INSERT INTO leads(email, first_name, city, score, vip, signed_up, updated_at) VALUES "
      "('ada@example.com', 'Ada', 'London', 97.50, true, '2024-02-29', '2024-03-01 10:00:00.5'), "
      "('alan@example.com', 'Alan', NULL, 3, false, NULL, '2024-03-01 11:00:00')");
  const auto config = WriteConfig(dir_, sandbox_.url(), Dsn(), kQuery);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return LeadCount(sandbox_.port()) == 2; }, seconds(30))) << daemon->Stderr();

  auto leads = SandboxLeads(sandbox_.port());
  EXPECT_EQ(leads["ada@example.com"], (LeadView{{"EmailAddress", "ada@example.com"},
                                                {"FirstName", "Ada"},
                                                {"mx_City", "London"},
                                                {"mx_Score", "97.50"},
                                                {"mx_VIP", "true"},
                                                {"mx_Signed_Up", "2024-02-29"},
                                                {"mx_Updated_At", "2024-03-01 13:00:00"}}))
      << "the server's zone is UTC-3";
  EXPECT_EQ(leads["alan@example.com"], (LeadView{{"EmailAddress", "alan@example.com"},
                                                 {"FirstName", "Alan"},
                                                 {"mx_Score", "3"},
                                                 {"mx_VIP", "false"},
                                                 {"mx_Updated_At", "2024-03-01 14:00:00"}}))
      << "NULL columns leave their attributes out";

  db_->Exec(
      "UPDATE leads SET city = 'Marylebone', updated_at = '2024-03-02 09:00:00' WHERE first_name = 'Ada'");
  ASSERT_TRUE(
      WaitFor([&] { return SandboxLeads(sandbox_.port())["ada@example.com"]["mx_City"] == "Marylebone"; },
              seconds(30)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxLeads(sandbox_.port())["ada@example.com"]["mx_Updated_At"], "2024-03-02 12:00:00");

  const json::object stats = Stats(config);
  EXPECT_EQ(stats.at("sources").at("crm").at("checkpoint").as_string(), "2024-03-02 12:00:00+00");
  EXPECT_EQ(stats.at("sources").at("crm").at("ingested").as_int64(), 3);
  EXPECT_TRUE(stats.at("sources").at("files").at("checkpoint").is_null());
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  EXPECT_EQ(daemon->Stderr().find(kPassword), std::string::npos);
}

TEST_F(PostgresDelivery, SourceResetWhileRunningResendsFromThatPosition) {
  db_->Exec(
      "INSERT INTO leads(email, updated_at) VALUES ('one@example.com', '2024-01-01 00:00:01+00'), "
      "('two@example.com', '2024-01-01 00:00:02+00'), ('three@example.com', '2024-01-01 00:00:03+00')");
  const auto config = WriteConfig(dir_, sandbox_.url(), Dsn(), kQuery);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return LeadCount(sandbox_.port()) == 3; }, seconds(30))) << daemon->Stderr();

  RunResult reset =
      Leadsync({"source", "-c", config.string(), "reset", "crm", "--to", "2024-01-01 00:00:02+00"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(
      reset.out,
      "source crm: checkpoint moved to 2024-01-01 00:00:02+00; a running daemon reads from there at its "
      "next poll\n");
  ASSERT_TRUE(WaitFor([&] { return TimesSent(config, "three@example.com") == 2; }, seconds(30)))
      << daemon->Stderr();
  EXPECT_EQ(TimesSent(config, "two@example.com"), 2u);
  EXPECT_EQ(TimesSent(config, "one@example.com"), 1u);

  reset = Leadsync({"source", "-c", config.string(), "reset", "crm"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("its start (cursor_start \"-infinity\")"), std::string::npos) << reset.out;
  ASSERT_TRUE(WaitFor([&] { return TimesSent(config, "one@example.com") == 2; }, seconds(30)))
      << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

TEST_F(PostgresDelivery, BrokenQueryIsCountedAndRetriedWhileTheDaemonServes) {
  const std::uint16_t metrics_port = FreePort();
  const std::string query =
      "SELECT email AS \"EmailAddress\", updated_at AS \"mx_Updated_At\" FROM later "
      "WHERE updated_at >= $1 ORDER BY updated_at";
  const auto config = WriteConfig(dir_, sandbox_.url(), Dsn(), query, metrics_port);
  auto daemon = StartDaemon(config);
  const auto errors = [&] {
    const std::string metrics = HttpRequest(metrics_port, "GET", "/metrics").body;
    const std::string sample = "leadsync_source_errors_total{source=\"crm\"} ";
    const std::size_t at = metrics.find(sample);
    return at == std::string::npos ? 0.0 : std::stod(metrics.substr(at + sample.size()));
  };
  ASSERT_TRUE(WaitFor([&] { return errors() >= 2; }, seconds(30))) << daemon->Stderr();
  EXPECT_EQ(HttpRequest(metrics_port, "GET", "/healthz").status, 200);

  db_->Exec("CREATE TABLE later (email text, updated_at timestamptz NOT NULL)");
  db_->Exec("INSERT INTO later VALUES ('late@example.com', '2024-01-01 00:00:01+00')");
  ASSERT_TRUE(WaitFor([&] { return LeadCount(sandbox_.port()) == 1; }, seconds(60))) << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  const std::string log = daemon->Stderr();
  EXPECT_NE(log.find("does not exist"), std::string::npos) << log;
  EXPECT_EQ(log.find(kPassword), std::string::npos);
}

// A server on the path that declines TLS and asks for the password in clear.
class PostgresDowngrade : public ::testing::Test {
 protected:
  std::string Dsn(const std::string& extra = "") const {
    return "host=127.0.0.1 port=" + std::to_string(fake_.port()) + " user=crm dbname=crm " + extra +
           " password=" + kPassword;
  }
  static std::size_t Count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }

  TempDir dir_;
  FakePostgres fake_;
};

TEST_F(PostgresDowngrade, DaemonSendsNoPasswordUnderTheDefaultSslMode) {
  const auto config = WriteConfig(dir_, "http://127.0.0.1:1", Dsn(), kQuery);
  const RunResult check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.err.find("warning"), std::string::npos) << check.err;
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return fake_.finished() >= 2; }, seconds(30))) << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  EXPECT_EQ(fake_.password_messages(), 0);
  EXPECT_EQ(fake_.received().find(kPassword), std::string::npos);
  const std::string log = daemon->Stderr();
  EXPECT_NE(log.find("SSL was required"), std::string::npos) << log;
  EXPECT_EQ(log.find(kPassword), std::string::npos) << log;
}

TEST_F(PostgresDowngrade, WeakerSslModeIsTheUsersChoiceWarnedOfByCheckAndOnceAtStart) {
  const auto config = WriteConfig(dir_, "http://127.0.0.1:1", Dsn("sslmode=prefer"), kQuery);
  const RunResult check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.err.find(": warning: dsn: sslmode=prefer lets anyone on the path refuse TLS"),
            std::string::npos)
      << check.err;
  EXPECT_EQ((check.out + check.err).find(kPassword), std::string::npos);

  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return fake_.password_messages() >= 2; }, seconds(30))) << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  const std::string log = daemon->Stderr();
  EXPECT_EQ(Count(log, "source crm: the dsn's sslmode=prefer lets anyone on the path"), 1u) << log;
  EXPECT_EQ(log.find(kPassword), std::string::npos) << log;
}

// The command line alone: no server or daemon needed.
TEST(SourceCli, ResetRefusesUnknownSourcesAndValuesThatMakeNoSense) {
  TempDir dir;
  const auto config = WriteConfig(dir, "http://127.0.0.1:1", "host=db", kQuery, 0, "[mx_Updated_At, id]");
  RunResult r = Leadsync({"source", "-c", config.string(), "reset", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no source named 'nope'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sources: crm, files"), std::string::npos) << r.err;

  r = Leadsync({"source", "-c", config.string(), "reset", "files", "--to", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--to applies to postgres sources"), std::string::npos) << r.err;

  r = Leadsync({"source", "-c", config.string(), "reset", "crm", "--to", "[\"2024-01-01 00:00:00+00\"]"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("the cursor has 2 columns"), std::string::npos) << r.err;
  EXPECT_EQ(Leadsync({"source", "-c", config.string(), "reset"}).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "queue.db")) << "nothing was reset";
}

TEST(SourceCli, QueueStatsListsEveryConfiguredSourceWithItsCheckpoint) {
  TempDir dir;
  const auto config = WriteConfig(dir, "http://127.0.0.1:1", "host=db", kQuery, 0, "[mx_Updated_At, id]");
  RunResult r =
      Leadsync({"source", "-c", config.string(), "reset", "crm", "--to", "[\"2024-01-01 00:00:00+00\", 5]"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  json::object stats = Stats(config);
  EXPECT_EQ(stats.at("sources").at("crm").at("checkpoint").as_string(), "[\"2024-01-01 00:00:00+00\",\"5\"]");
  EXPECT_TRUE(stats.at("sources").at("files").at("checkpoint").is_null()) << "configured, nothing committed";
  EXPECT_EQ(stats.at("sources").at("files").at("ingested").as_int64(), 0);
  r = Leadsync({"queue", "-c", config.string(), "stats"});
  EXPECT_NE(r.out.find("source files: 0 ingested, checkpoint none (reads from its start)\n"),
            std::string::npos)
      << r.out;

  ASSERT_EQ(Leadsync({"source", "-c", config.string(), "reset", "crm"}).exit_code, 0);
  EXPECT_TRUE(Stats(config).at("sources").at("crm").at("checkpoint").is_null());
}

}  // namespace
}  // namespace leadsync::testing
