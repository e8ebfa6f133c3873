// Reload and logging of a running daemon, as an operator sees them.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
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

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Delivers one lead with `log_format`, stops, and returns what the daemon logged.
std::string LogOfOneDelivery(const std::string& log_format, std::vector<std::string> env) {
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url(), "  linger: 0s\n");
  std::string yaml = ReadFile(config);
  WriteFile(config, yaml.replace(yaml.find("level: debug"), 12, "level: debug\n  format: " + log_format));
  auto daemon = StartWithEnv(config, std::move(env));
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

TEST(Lifecycle, UnderSystemdLogLinesCarryNoTimestampOfTheirOwn) {
  const auto lines = Lines(LogOfOneDelivery("text", {"JOURNAL_STREAM=8:12345"}));
  ASSERT_GT(lines.size(), 3u);
  for (const std::string& line : lines) EXPECT_EQ(line.rfind("2", 0), std::string::npos) << line;
  for (const std::string& line : Lines(LogOfOneDelivery("json", {"JOURNAL_STREAM=8:12345"}))) {
    EXPECT_FALSE(boost::json::parse(line).as_object().contains("time")) << line;
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
      "  - name: second\n    type: spool\n    path: " + (dir / "second").string() + "\n";
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
