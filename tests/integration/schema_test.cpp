// The account's schema (LeadsMetaData.Get) through the real binary and a
// real sandbox serving fields: `check --online` finds a mapping's typo and a
// bad Select constant at their file:line:col; leadsquared.validate: reject
// keeps a schema-breaking record from costing a call, warn sends it and
// warns once, and the schema kept in the queue still validates after a
// restart with the API down.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <optional>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kFields = R"([
  {"SchemaName":"EmailAddress","DisplayName":"Email","DataType":"Email","IsMandatory":false,"MaxLength":"100"},
  {"SchemaName":"FirstName","DisplayName":"First Name","DataType":"Text","IsMandatory":false,"MaxLength":"50"},
  {"SchemaName":"mx_Course_Interest","DisplayName":"Course","DataType":"Select","IsMandatory":false,
   "Options":[{"Value":"MBA","Text":"MBA"},{"Value":"PGDM","Text":"PGDM"}]},
  {"SchemaName":"mx_Signup","DisplayName":"Signup","DataType":"Text","IsMandatory":false,"MaxLength":"30"}
])";

// A mapping with a typo'd target and a constant that is not an option.
constexpr const char* kMapping =
    "    fields:\n"
    "      email: EmailAddress\n"
    "      first: FirstName\n"
    "      course: mx_Cours_Interest\n"
    "      signup: { to: mx_Signup, type: datetime, format: \"%d/%m/%Y %H:%M\" }\n"
    "    constants:\n"
    "      mx_Course_Interest: PhD\n";

// "FILE:LINE:COL" of the first `needle` in `path`, counted as check counts.
std::string PlaceOf(const fs::path& path, const std::string& needle) {
  const std::string text = ReadFile(path);
  const std::size_t at = text.find(needle);
  const std::size_t line_start = text.rfind('\n', at) + 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
  return path.string() + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

// Rows of the queue file's lead_schema table (0 or 1).
int KeptSchemas(const fs::path& queue) {
  sqlite3* db = nullptr;
  int rows = -1;
  if (sqlite3_open_v2(queue.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM lead_schema", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      rows = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

int CountOf(const std::string& text, const std::string& needle) {
  int count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

class SchemaTest : public ::testing::Test {
 protected:
  SchemaTest() { WriteFile(dir_ / "fields.json", kFields); }

  // A sandbox serving (and enforcing) kFields; `enforce` false: its default fields.
  void StartSandbox(bool enforce = true) {
    sandbox_.emplace(enforce ? std::vector<std::string>{"--fields", (dir_ / "fields.json").string()}
                             : std::vector<std::string>{});
  }

  fs::path Config(const std::string& validate, const std::string& mapping, const std::string& api_host = "") {
    metrics_port_ = FreePort();
    SourcesConfig config;
    config.api_host = api_host.empty() ? sandbox_->url() : api_host;
    config.leadsquared += "  validate: " + validate + "\n";
    fs::create_directories(dir_ / "spool");
    config.sources =
        "  - name: crm\n    type: spool\n    path: " + (dir_ / "spool").string() + "\n" + mapping;
    config.metrics_port = metrics_port_;
    return WriteSourcesConfig(dir_, config);
  }

  // Waits until the daemon has fetched the schema and kept it in the queue.
  void WaitForKeptSchema() {
    ASSERT_TRUE(WaitFor([&] { return KeptSchemas(dir_ / "queue.db") == 1; }, seconds(20)))
        << daemon_->Stderr();
  }

  void Stop() {
    daemon_->Signal(SIGTERM);
    EXPECT_EQ(daemon_->Wait(seconds(20)), 0);
  }

  [[nodiscard]] double Rejected(const std::string& reason) const {
    return MetricValue(metrics_port_, "leadsync_records_rejected_total", "reason=\"" + reason + "\"")
        .value_or(-1);
  }

  TempDir dir_;
  std::optional<SandboxProcess> sandbox_;
  std::unique_ptr<Process> daemon_;
  std::uint16_t metrics_port_ = 0;
};

TEST_F(SchemaTest, CheckOnlineReportsATypoAndABadSelectConstantAtTheirPlaces) {
  StartSandbox();
  const fs::path config = Config("warn", kMapping);
  const RunResult r = Leadsync({"check", "-c", config.string(), "--online"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find(PlaceOf(config, "mx_Cours_Interest") +
                       ": fields.course: 'mx_Cours_Interest' is not a lead field of the account; did you "
                       "mean 'mx_Course_Interest'?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(PlaceOf(config, "mx_Course_Interest: PhD") +
                       ": constants.mx_Course_Interest: attribute 'mx_Course_Interest': 'PhD' is not one of "
                       "its options (MBA, PGDM)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(PlaceOf(config, "mx_Signup,") +
                       ": warning: fields.signup: a datetime conversion into 'mx_Signup', a Text field"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(SandboxNumber(sandbox_->port(), "metadata_calls"), 1);
  EXPECT_EQ(SandboxNumber(sandbox_->port(), "calls"), 0);
}

TEST_F(SchemaTest, CheckOnlinePassesAMappingTheAccountTakes) {
  StartSandbox();
  const fs::path config = Config("warn",
                                 "    fields:\n      email: EmailAddress\n      course: mx_course_interest\n"
                                 "    constants:\n      mx_Course_Interest: PGDM\n");
  const RunResult r = Leadsync({"check", "-c", config.string(), "--online"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("the mappings' attributes are lead fields of the account (4 fields)"),
            std::string::npos)
      << r.out;
}

TEST_F(SchemaTest, RejectKeepsASchemaBreakingRecordFromCostingACall) {
  StartSandbox();
  daemon_ = StartDaemon(
      Config("reject", "    fields:\n      email: EmailAddress\n      course: mx_Course_Interest\n"));
  WaitForKeptSchema();
  DropFile(dir_ / "spool", "leads.csv",
           "email,course,mx_Typo\n"
           "good@x.com,MBA,\n"
           "typo@x.com,MBA,oops\n"
           "option@x.com,PhD,\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox_->port()).contains("good@x.com"); }, seconds(20)))
      << daemon_->Stderr();
  ASSERT_TRUE(WaitFor([&] { return Rejected("schema") == 2; }, seconds(20))) << daemon_->Stderr();
  EXPECT_EQ(SandboxNumber(sandbox_->port(), "calls"), 1) << "only the good record cost a call";
  EXPECT_EQ(SandboxNumber(sandbox_->port(), "status:400"), 0);
  EXPECT_EQ(SandboxLeads(sandbox_->port()).size(), 1u);
  const RunResult dlq =
      Leadsync({"dlq", "-c", (dir_ / "leadsync.yaml").string(), "list", "--reason", "schema"});
  EXPECT_NE(dlq.out.find("attribute 'mx_Typo' is not a lead field of the account"), std::string::npos)
      << dlq.out << dlq.err;
  EXPECT_NE(dlq.out.find("attribute 'mx_Course_Interest': 'PhD' is not one of its options"),
            std::string::npos)
      << dlq.out;
  Stop();
}

TEST_F(SchemaTest, WarnSendsTheRecordAndWarnsOncePerAttribute) {
  StartSandbox(/*enforce=*/false);  // the default fields, not enforced: the sandbox takes mx_Typo
  daemon_ = StartDaemon(Config("warn", "    fields:\n      email: EmailAddress\n"));
  WaitForKeptSchema();
  DropFile(dir_ / "spool", "a.csv", "email,mx_Typo\na@x.com,1\nb@x.com,2\n");
  DropFile(dir_ / "spool", "b.csv", "email,mx_Typo\nc@x.com,3\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox_->port()).size() == 3; }, seconds(20)))
      << daemon_->Stderr();
  EXPECT_EQ(Rejected("schema"), 0);
  Stop();
  EXPECT_EQ(CountOf(daemon_->Stderr(), "attribute 'mx_Typo' is not a lead field of the account"), 1);
}

TEST_F(SchemaTest, TheKeptSchemaValidatesAfterARestartWithTheApiDown) {
  StartSandbox();
  const fs::path config = Config("reject", "    fields:\n      email: EmailAddress\n");
  daemon_ = StartDaemon(config);
  WaitForKeptSchema();
  Stop();
  const std::string api_host = sandbox_->url();
  sandbox_.reset();  // the API is down from now on
  daemon_ = StartDaemon(Config("reject", "    fields:\n      email: EmailAddress\n", api_host));
  DropFile(dir_ / "spool", "leads.csv", "email,mx_Typo\ntypo@x.com,oops\nfine@x.com,\n");
  ASSERT_TRUE(WaitFor([&] { return Rejected("schema") == 1; }, seconds(20))) << daemon_->Stderr();
  const QueueView queued = QueueStats(config);  // one read: the record moves between the two
  EXPECT_EQ(queued.pending + queued.in_flight, 1) << "the clean record waits for the API";
  Stop();
  const std::string log = daemon_->Stderr();
  EXPECT_NE(log.find("schema: validating with the one kept in the queue"), std::string::npos) << log;
}

TEST_F(SchemaTest, WithoutAKeptSchemaTheDaemonRunsUnvalidatedAndSaysSo) {
  daemon_ = StartDaemon(Config("reject", "    fields:\n      email: EmailAddress\n", "http://127.0.0.1:1"));
  DropFile(dir_ / "spool", "leads.csv", "email,mx_Typo\ntypo@x.com,oops\n");
  const fs::path config = dir_ / "leadsync.yaml";
  ASSERT_TRUE(WaitFor([&] { return QueueStats(config).ingested["crm"] == 1; }, seconds(20)))
      << daemon_->Stderr();
  EXPECT_EQ(QueueStats(config).dead_letter, 0);
  Stop();
  const std::string log = daemon_->Stderr();
  EXPECT_NE(log.find("schema: none kept in the queue"), std::string::npos) << log;
  EXPECT_NE(log.find("running without schema validation until a fetch succeeds"), std::string::npos) << log;
}

}  // namespace
}  // namespace leadsync::testing
