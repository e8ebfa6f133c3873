// Ingest through the real binary: `leadsync enqueue` under backpressure and
// with bad lines, field mapping for spool and tail, and `check` warnings.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::seconds;

std::string Leads(int count) {
  std::string text;
  for (int n = 0; n < count; ++n) {
    text += R"({"EmailAddress":"e)" + std::to_string(n) + R"(@example.com","FirstName":"N)" +
            std::to_string(n) + "\"}\n";
  }
  return text;
}

// Also makes the spool directory, which `check` and `run` require.
std::string Spool(const TempDir& dir, const std::string& extra = "") {
  fs::create_directories(dir / "spool");
  return "  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() + "\n" + extra;
}

TEST(Enqueue, WaitsWhileTheQueueIsFullAndFinishesOnceTheDaemonDrainsIt) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "1000/1"});
  const auto config = WriteSourcesConfig(
      dir, {.api_host = sandbox.url(), .sources = Spool(dir), .queue_extra = "  max_pending: 10\n"});
  WriteFile(dir / "leads.jsonl", Leads(35));
  Process enqueue({LEADSYNC_BINARY, "enqueue", "-c", config.string(), (dir / "leads.jsonl").string()});
  ASSERT_TRUE(WaitFor([&] { return QueueStats(config).pending == 10; }, seconds(20))) << enqueue.Stderr();
  EXPECT_EQ(enqueue.Wait(std::chrono::milliseconds(300)), std::nullopt) << "it waits, dropping nothing";
  EXPECT_EQ(QueueStats(config).pending, 10);

  auto daemon = StartDaemon(config);
  EXPECT_EQ(enqueue.Wait(seconds(60)), 0) << enqueue.Stderr();
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 35; }, seconds(60)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxLeads(sandbox.port())["e34@example.com"]["FirstName"], "N34");
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

TEST(Enqueue, BadLinesAreRejectedWithFileLineAndRawTextAndTheRestEnqueued) {
  TempDir dir;
  const auto config = WriteSourcesConfig(dir, {.sources = Spool(dir)});
  WriteFile(dir / "mixed.jsonl", Leads(2) + "{\"EmailAddress\": nope}\n" +
                                     R"({"FirstName":"NoKey"})"
                                     "\n" +
                                     Leads(3));
  const RunResult result = Leadsync({"enqueue", "-c", config.string(), (dir / "mixed.jsonl").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("mixed.jsonl:3: invalid JSON"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("mixed.jsonl:4: no key"), std::string::npos) << result.err;
  EXPECT_EQ(QueueStats(config).pending, 3) << "e0..e2 (e0 and e1 twice, merged)";
  const json::value dlq = json::parse(Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out);
  ASSERT_EQ(dlq.as_array().size(), 2u);
  EXPECT_EQ(dlq.as_array()[0].at("record"), "{\"EmailAddress\": nope}");
}

TEST(Enqueue, StandardInputIsStreamedToo) {
  TempDir dir;
  const auto config = WriteSourcesConfig(dir, {.sources = Spool(dir)});
  const RunResult result = Leadsync({"enqueue", "-c", config.string(), "--format", "jsonl", "-"}, Leads(500));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(QueueStats(config).pending, 500);
}

TEST(Mapping, FieldsRenameAndUnknownAttributesPassThroughForSpoolAndTail) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "1000/1"});
  fs::create_directories(dir / "spool");
  fs::create_directories(dir / "logs");
  const std::string fields = "    fields: { email: EmailAddress, town: mx_City }\n";
  const auto config = WriteSourcesConfig(
      dir, {.api_host = sandbox.url(),
            .sources = Spool(dir, fields) + "  - name: events\n    type: tail\n    path: " +
                       (dir / "logs" / "leads.csv").string() + "\n" + fields});
  WriteFile(dir / "logs" / "leads.csv", "email,town,Hobby\ntail@example.com,Pune,chess\n");
  auto daemon = StartDaemon(config);
  WriteFile(dir / "spool" / ".x", R"({"email":"spool@example.com","town":"Goa","Hobby":"surf"})"
                                  "\n");
  fs::rename(dir / "spool" / ".x", dir / "spool" / "x.jsonl");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 2; }, seconds(30)))
      << daemon->Stderr();
  auto leads = SandboxLeads(sandbox.port());
  EXPECT_EQ(leads["tail@example.com"]["mx_City"], "Pune");
  EXPECT_EQ(leads["tail@example.com"]["Hobby"], "chess");
  EXPECT_EQ(leads["spool@example.com"]["mx_City"], "Goa");
  EXPECT_EQ(leads["spool@example.com"]["Hobby"], "surf");
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

TEST(Check, WarnsAboutAnAttributeNameThatIsNeitherBuiltInNorCustom) {
  TempDir dir;
  const auto config =
      WriteSourcesConfig(dir, {.sources = Spool(dir, "    fields: { town: Town, city: mx_City }\n")});
  const RunResult result = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find(": warning: fields.town: 'Town' is neither a common LeadSquared attribute"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("mx_City"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace leadsync::testing
