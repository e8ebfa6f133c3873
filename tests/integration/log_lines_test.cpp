// What a running daemon and the commands print about bad input, as an
// operator reads it: one warning per rejected record naming file:line and
// reason, and one line per record whatever a file name holds (a newline, an
// escape sequence, bytes that are not UTF-8), in text and JSON logs alike.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> LinesWith(const std::string& text, const std::string& needle) {
  std::vector<std::string> found;
  for (const std::string& line : Lines(text)) {
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

// A daemon logging at info in `format`, its spool at dir/spool.
class LoggingDaemon final {
 public:
  explicit LoggingDaemon(const std::string& format) {
    config_ = WriteDaemonConfig(dir_, sandbox_.url(), "  linger: 0s\n");
    std::string yaml = ReadFile(config_);
    WriteFile(config_, yaml.replace(yaml.find("level: debug"), 12, "level: info\n  format: " + format));
    process_ = StartDaemon(config_);
  }
  ~LoggingDaemon() {
    process_->Signal(SIGTERM);
    EXPECT_EQ(process_->Wait(seconds(20)), 0) << log_;
  }
  LoggingDaemon(const LoggingDaemon&) = delete;
  LoggingDaemon& operator=(const LoggingDaemon&) = delete;

  void Drop(const std::string& name, const std::string& text) { DropFile(dir_ / "spool", name, text); }
  // The complete lines logged so far, once each needle is on one (or after 20 s).
  std::string LogShowing(const std::vector<std::string>& needles) {
    const auto shown = [&](const std::string& needle) {
      const auto at = log_.find(needle);
      return at != std::string::npos && log_.find('\n', at) != std::string::npos;
    };
    EXPECT_TRUE(WaitFor(
        [&] {
          log_ += process_->Stderr();
          return std::all_of(needles.begin(), needles.end(), shown);
        },
        seconds(20)))
        << "not all logged:\n"
        << log_;
    return log_.substr(0, log_.rfind('\n') + 1);
  }
  RunResult Command(std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"-c", config_.string()});
    return Leadsync(args);
  }
  const TempDir& dir() const { return dir_; }
  std::uint16_t sandbox_port() const { return sandbox_.port(); }

 private:
  TempDir dir_;
  SandboxProcess sandbox_;
  std::filesystem::path config_;
  std::unique_ptr<Process> process_;
  std::string log_;
};

TEST(LogLines, EachRejectedSpoolRecordIsOneWarningWithFileLineAndReason) {
  LoggingDaemon daemon("text");
  daemon.Drop("mixed.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n{\"FirstName\":\"No key\"}\nnot json\n");
  const std::string log = daemon.LogShowing({"mixed.jsonl:2: ", "mixed.jsonl:3: "});
  EXPECT_EQ(LinesWith(log, "mixed.jsonl:").size(), 2u) << log;
  EXPECT_EQ(LinesWith(log, " warning source spool: mixed.jsonl:2: no key").size(), 1u) << log;
  EXPECT_EQ(LinesWith(log, " warning source spool: mixed.jsonl:3: ").size(), 1u) << log;
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(daemon.sandbox_port()).size() == 1; }, seconds(20)))
      << "the rest of the file is delivered";
}

TEST(LogLines, ANewlineInAFileNameCannotForgeALine) {
  LoggingDaemon daemon("text");
  const std::string forged = "2099-01-01 00:00:00.000 critical forged";
  daemon.Drop("evil\n" + forged + "\x1b[2J.jsonl", "not json\n");
  const std::string log = daemon.LogShowing({"jsonl:1: "});
  const auto lines = LinesWith(log, "forged");
  ASSERT_EQ(lines.size(), 1u) << log;
  EXPECT_NE(lines[0].find("source spool: evil\\n" + forged + "\\x1b[2J.jsonl:1: "), std::string::npos)
      << lines[0];
  for (const std::string& line : Lines(log)) EXPECT_NE(line.rfind("2099", 0), 0u) << line;

  // The dead-letter store keeps the name as it was; `dlq list` shows it escaped.
  const RunResult dlq = daemon.Command({"dlq", "list"});
  EXPECT_EQ(dlq.exit_code, 0) << dlq.err;
  ASSERT_EQ(Lines(dlq.out).size(), 2u) << "the header and the entry\n" << dlq.out;
  EXPECT_NE(dlq.out.find("evil\\n2099"), std::string::npos) << dlq.out;
  EXPECT_EQ(dlq.out.find('\x1b'), std::string::npos) << dlq.out;

  // So does `enqueue` for the file it reads.
  const auto input = daemon.dir() / ("evil\n" + forged + ".jsonl");
  WriteFile(input, "not json\n");
  const RunResult enqueue = daemon.Command({"enqueue", "--dry-run", input.string()});
  EXPECT_EQ(enqueue.exit_code, 1);
  ASSERT_EQ(Lines(enqueue.err).size(), 1u) << enqueue.err;
  EXPECT_EQ(enqueue.err.rfind("evil\\n" + forged + ".jsonl:1: ", 0), 0u) << enqueue.err;
}

TEST(LogLines, BytesThatAreNotUtf8KeepJsonLogsValid) {
  LoggingDaemon daemon("json");
  daemon.Drop("bad\xff\xfe.jsonl", "not json\n");
  const std::string log = daemon.LogShowing({R"(bad\\xff\\xfe.jsonl:1: )"});
  bool found = false;
  for (const std::string& line : Lines(log)) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);  // validates UTF-8 too
    ASSERT_FALSE(ec) << line;
    found = found || v.at("msg").as_string().starts_with(R"(source spool: bad\xff\xfe.jsonl:1: )");
  }
  EXPECT_TRUE(found) << log;

  const RunResult dlq = daemon.Command({"dlq", "list", "--json"});
  boost::system::error_code ec;
  const boost::json::value entries = boost::json::parse(dlq.out, ec);
  ASSERT_FALSE(ec) << dlq.out;
  ASSERT_EQ(entries.as_array().size(), 1u) << dlq.out;
  EXPECT_TRUE(entries.at(0).at("message").as_string().starts_with(R"(bad\xff\xfe.jsonl:1: )")) << dlq.out;
}

}  // namespace
}  // namespace leadsync::testing
