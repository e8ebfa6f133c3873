// Reload and logging of a running daemon, as an operator sees them.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <regex>
#include <sstream>

#include "tests/support/http.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

std::unique_ptr<Process> StartWithEnv(const std::filesystem::path& config, std::vector<std::string> env) {
  return std::make_unique<Process>(std::vector<std::string>{LEADSYNC_BINARY, "run", "-c", config.string()},
                                   std::move(env));
}

// As systemd starts a service whose output goes to the journal: JOURNAL_STREAM
// names the device and inode of the stream on stderr (here the test's pipe).
std::unique_ptr<Process> StartUnderJournald(const std::filesystem::path& config, std::vector<std::string>) {
  return std::make_unique<Process>(std::vector<std::string>{
      "/bin/sh", "-c", R"(JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec "$0" "$@")",
      LEADSYNC_BINARY, "run", "-c", config.string()});
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Delivers one lead with `log_format`, stops, and returns what the daemon logged.
std::string LogOfOneDelivery(const std::string& log_format, std::vector<std::string> env,
                             decltype(&StartWithEnv) start = StartWithEnv) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  std::string yaml = ReadFile(config);
  WriteFile(config, yaml.replace(yaml.find("level: debug"), 12, "level: debug\n  format: " + log_format));
  auto daemon = start(config, std::move(env));
  DropFile(dir / "spool", "in.jsonl",
           "{\"EmailAddress\":\"a@x.com\",\"FirstName\":\"Quote \\\" and \\\\ back\"}\n");
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 1; }, seconds(20)));
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  return daemon->Stderr();
}

TEST(Lifecycle, JsonLogsAreValidJsonOnEveryLine) {
  const auto lines = Lines(LogOfOneDelivery("json", {}));
  ASSERT_GT(lines.size(), 3u);
  for (const std::string& line : lines) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    EXPECT_TRUE(v.as_object().contains("msg")) << line;
    EXPECT_TRUE(v.as_object().contains("time")) << line;
  }
}

TEST(Lifecycle, UnderJournaldLinesStartWithTheirPriorityAndCarryNoTimestamp) {
  const std::regex priority(R"(^<[2-7]>)");
  const std::regex timestamp(R"(^<\d>\d{4}-\d\d-\d\d )");
  const auto text = Lines(LogOfOneDelivery("text", {}, StartUnderJournald));
  ASSERT_GT(text.size(), 3u);
  for (const std::string& line : text) {
    EXPECT_TRUE(std::regex_search(line, priority)) << line;
    EXPECT_FALSE(std::regex_search(line, timestamp)) << line;
  }
  EXPECT_TRUE(std::any_of(text.begin(), text.end(), [](const std::string& line) {
    return line.starts_with("<6>leadsync ") && line.find(" running: ") != std::string::npos;
  }));
  for (const std::string& line : Lines(LogOfOneDelivery("json", {}, StartUnderJournald))) {
    ASSERT_TRUE(std::regex_search(line, priority)) << line;
    EXPECT_FALSE(boost::json::parse(line.substr(3)).as_object().contains("time")) << line;
  }
}

// A process whose stderr was redirected inherits JOURNAL_STREAM but does not
// write to the journal: its lines keep their timestamps and carry no "<N>".
TEST(Lifecycle, AJournalStreamThatIsNotStderrIsIgnored) {
  for (const std::string& line : Lines(LogOfOneDelivery("text", {"JOURNAL_STREAM=8:12345"}))) {
    EXPECT_EQ(line.rfind("20", 0), 0u) << line;
  }
}

TEST(Lifecycle, ReloadStartsANewSourceAndKeepsTheQueue) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  auto daemon = StartDaemon(config);
  DropFile(dir / "spool", "a.jsonl", "{\"EmailAddress\":\"first@x.com\"}\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 1; }, seconds(20)));
  std::string yaml = ReadFile(config);
  const std::string added =
      "  - name: second\n    type: spool\n    create: true\n    path: " + (dir / "second").string() + "\n";
  yaml.insert(yaml.find("metrics:"), added);
  WriteFile(config, yaml);
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(dir / "second"); }, seconds(20)))
      << daemon->Stderr();
  DropFile(dir / "second", "b.jsonl", "{\"EmailAddress\":\"second@x.com\"}\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 2; }, seconds(20)))
      << daemon->Stderr();
  RunResult stats = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  boost::json::value s = boost::json::parse(stats.out);
  EXPECT_EQ(s.at("sources").at("spool").at("ingested").as_int64(), 1);
  EXPECT_EQ(s.at("sources").at("second").at("ingested").as_int64(), 1);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

}  // namespace
}  // namespace leadsync::testing
