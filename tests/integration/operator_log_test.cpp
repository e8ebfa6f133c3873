// What `leadsync run` tells an operator who reads only its log (under
// systemd nobody runs `check`): the config warnings `check` prints, at start
// and after each reload; each source and where it reads; each setting a
// reload cannot apply, with the value still in use; a spool directory that
// does not exist refused where `check` would refuse it; and, at info, no
// line per batch (JSON lines carry the batch's fields at debug).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// A tail source whose file name does not say its format: valid, and a warning.
constexpr const char* kUnfollowable = "events.log";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// `yaml` with `source` added at the end of the sources list.
std::string WithSource(std::string yaml, const std::string& source) {
  return yaml.insert(yaml.find("metrics:"), source);
}

std::string TailSource(const TempDir& dir) {
  return "  - name: events\n    type: tail\n    path: " + (dir / kUnfollowable).string() + "\n";
}

// FILE:LINE:COL of the first `needle` in `config`, 1-based, as errors give it.
std::string Position(const fs::path& config, const std::string& needle) {
  const std::string text = ReadFile(config);
  const std::size_t at = text.find(needle);
  const std::size_t line_start = text.rfind('\n', at) + 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
  return config.string() + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

// The warnings `check` prints for `config`, without its "warning: " marker:
// the text `run` logs at warning level.
std::vector<std::string> CheckWarnings(const fs::path& config) {
  const RunResult check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  std::vector<std::string> warnings;
  for (std::string line : Lines(check.err)) {
    const std::size_t marker = line.find(": warning: ");
    if (line.rfind(config.string() + ":", 0) != 0 || marker == std::string::npos) continue;
    warnings.push_back(line.erase(marker + 2, 9));
  }
  return warnings;
}

// A daemon and everything it has logged.
class LoggedDaemon final {
 public:
  LoggedDaemon(const TempDir& dir, const std::string& api_host, const std::string& sources = "",
               std::uint16_t metrics_port = 0, const std::string& level = "info") {
    config_ = WriteDaemonConfig(dir, api_host, "  linger: 0s\n", metrics_port);
    std::string yaml = WithSource(ReadFile(config_), sources);
    WriteFile(config_, yaml.replace(yaml.find("level: debug"), 12, "level: " + level));
    process_ = StartDaemon(config_);
    Showing("running");
  }
  ~LoggedDaemon() {
    if (process_) (void)Stop();
  }
  LoggedDaemon(const LoggedDaemon&) = delete;
  LoggedDaemon& operator=(const LoggedDaemon&) = delete;

  // The log once a complete line holds `needle` (or after 20 s).
  const std::string& Showing(const std::string& needle) {
    EXPECT_TRUE(WaitFor(
        [&] {
          log_ += process_->Stderr();
          const std::size_t at = log_.find(needle);
          return at != std::string::npos && log_.find('\n', at) != std::string::npos;
        },
        seconds(20)))
        << "not logged: " << needle << "\n"
        << log_;
    return log_;
  }
  // Everything logged, once the daemon has stopped.
  std::string Stop() {
    process_->Signal(SIGTERM);
    EXPECT_EQ(process_->Wait(seconds(20)), 0) << log_;
    log_ += process_->Stderr();
    process_.reset();
    return log_;
  }
  void Reload(const std::string& yaml) {
    WriteFile(config_, yaml);
    process_->Signal(SIGHUP);
    Showing("configuration reloaded");
  }
  const fs::path& config() const { return config_; }

 private:
  fs::path config_;
  std::unique_ptr<Process> process_;
  std::string log_;
};

TEST(OperatorLog, StartLogsEveryCheckWarningAndEachSourceWithWhereItReads) {
  TempDir dir;
  SandboxProcess sandbox;
  LoggedDaemon daemon(dir, sandbox.url(), TailSource(dir) + "    priority: low\n");
  const std::vector<std::string> warnings = CheckWarnings(daemon.config());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind(Position(daemon.config(), (dir / kUnfollowable).string()) + ": path: ", 0), 0u)
      << warnings[0];
  const std::string& log = daemon.Showing("source events:");
  EXPECT_NE(log.find(" warning " + warnings[0] + "\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" info source spool: spool " + (dir / "spool").string() + ", priority normal\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(" info source events: tail " + (dir / kUnfollowable).string() + ", priority low\n"),
            std::string::npos)
      << log;
}

TEST(OperatorLog, AReloadThatIntroducesAWarningLogsIt) {
  TempDir dir;
  SandboxProcess sandbox;
  LoggedDaemon daemon(dir, sandbox.url());
  EXPECT_TRUE(CheckWarnings(daemon.config()).empty());
  daemon.Reload(WithSource(ReadFile(daemon.config()), TailSource(dir)));
  const std::vector<std::string> warnings = CheckWarnings(daemon.config());
  ASSERT_EQ(warnings.size(), 1u);
  const std::string& log = daemon.Showing(warnings[0]);
  EXPECT_NE(log.find(" warning " + warnings[0] + "\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" info reload: source events: tail "), std::string::npos) << log;
}

TEST(OperatorLog, AReloadNamesEachSettingThatWaitsForARestartWithBothValues) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t port = FreePort();
  LoggedDaemon daemon(dir, sandbox.url(), "", port);
  std::string yaml = ReadFile(daemon.config());
  const std::string old_listen = "127.0.0.1:" + std::to_string(port);
  const std::string new_listen = "0.0.0.0:" + std::to_string(FreePort());
  yaml.replace(yaml.find("listen: " + old_listen), 8 + old_listen.size(), "listen: " + new_listen);
  yaml.replace(yaml.find("sync: normal"), 12, "sync: full\n  max_pending: 5000");
  daemon.Reload(yaml);
  const std::string& log = daemon.Showing("configuration reloaded");
  EXPECT_NE(log.find(" warning reload: metrics.listen changed to " + new_listen + "; still serving " +
                     old_listen + " until restart\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(" warning reload: queue.sync changed to full; still normal until restart\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(" warning reload: queue.max_pending changed to 5000; still 10000000 until restart\n"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("queue and metrics settings"), std::string::npos) << log;
}

TEST(OperatorLog, AMissingSpoolDirectoryIsAnErrorAtCheckAndAtStartUnlessCreateIsSet) {
  TempDir dir;
  SandboxProcess sandbox;
  const fs::path config = WriteDaemonConfig(dir, sandbox.url());
  const fs::path missing = dir / "spoool";
  std::string yaml = ReadFile(config);
  yaml.replace(yaml.find((dir / "spool").string()), (dir / "spool").string().size(), missing.string());
  WriteFile(config, yaml);
  const std::string error = Position(config, missing.string()) + ": path: the spool directory '" +
                            missing.string() + "' does not exist";

  const RunResult check = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find(error), std::string::npos) << check.err;
  auto run = StartDaemon(config);
  EXPECT_EQ(run->Wait(seconds(20)), 1);
  EXPECT_NE(run->Stderr().find(error), std::string::npos);
  EXPECT_FALSE(fs::exists(missing)) << "nothing is created";

  WriteFile(config, yaml.insert(yaml.find("metrics:"), "    create: true\n"));
  EXPECT_EQ(Leadsync({"check", "-c", config.string()}).exit_code, 0);
  run = StartDaemon(config);
  EXPECT_TRUE(WaitFor([&] { return fs::is_directory(missing / "done"); }, seconds(20))) << run->Stderr();
  DropFile(missing, "a.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n");
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 1; }, seconds(20)));
  run->Signal(SIGTERM);
  EXPECT_EQ(run->Wait(seconds(20)), 0);
}

TEST(OperatorLog, NoLinePerBatchAtInfo) {
  TempDir dir;
  SandboxProcess sandbox;
  LoggedDaemon daemon(dir, sandbox.url());
  DropFile(dir / "spool", "a.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n{\"EmailAddress\":\"b@x.com\"}\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 2; }, seconds(20)));
  const std::string log = daemon.Stop();
  EXPECT_NE(log.find("leadsync stopped"), std::string::npos) << log;
  EXPECT_EQ(log.find("batch of"), std::string::npos) << log;
}

TEST(OperatorLog, JsonBatchLinesAtDebugCarrySourceRecordsStatusAndDurationButNoKey) {
  TempDir dir;
  SandboxProcess sandbox;
  LoggedDaemon daemon(dir, sandbox.url(), "", 0, "debug\n  format: json");
  DropFile(dir / "spool", "a.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n{\"EmailAddress\":\"b@x.com\"}\n");
  const std::string& log = daemon.Showing("batch of");
  int batches = 0;
  for (const std::string& line : Lines(log.substr(0, log.rfind('\n')))) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    if (!v.at("msg").as_string().starts_with("batch of")) continue;
    ++batches;
    const boost::json::object& o = v.as_object();
    EXPECT_EQ(o.at("level").as_string(), "debug") << line;
    EXPECT_EQ(o.at("source").as_string(), "spool") << line;
    EXPECT_EQ(o.at("status").as_string(), "200") << line;
    EXPECT_GE(o.at("records").as_int64(), 1) << line;
    EXPECT_GE(o.at("duration_ms").as_int64(), 0) << line;
    EXPECT_FALSE(o.contains("key")) << line;
    EXPECT_EQ(line.find("@x.com"), std::string::npos) << "no key anywhere in the line: " << line;
  }
  EXPECT_GE(batches, 1) << log;
}

}  // namespace
}  // namespace leadsync::testing
