// docs/cli.md against the command line the binary builds (AddCommands, the
// same calls `leadsync` makes): every command and subcommand has a section
// headed `leadsync COMMAND…`, each of its options appears in that section,
// and every such heading names a real command. The exit codes listed are
// the ones `leadsync` returns, and the dead-letter reasons `dlq list` shows
// are those of core/queue/dead_letter_reasons.hpp.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/queue/dead_letter_reasons.hpp"
#include "daemon/commands.hpp"
#include "daemon/service.hpp"
#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace md = markdown;

constexpr std::string_view kDoc = "docs/cli.md";

struct Command {
  std::string path;                  // "queue stats"
  std::vector<std::string> options;  // "--json", "-c"; positionals and --help left out
};

void Walk(const CLI::App& app, const std::string& path, std::vector<Command>& out) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    Command command{path.empty() ? sub->get_name() : path + " " + sub->get_name(), {}};
    for (const CLI::Option* option : sub->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        if (name != "help") command.options.push_back("--" + name);
      }
      for (const std::string& name : option->get_snames()) {
        if (name != "h") command.options.push_back("-" + name);
      }
    }
    out.push_back(command);
    Walk(*sub, command.path, out);
  }
}

class CliDoc : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon::AddCommands(app_, exit_code_);
    Walk(app_, "", commands_);
    ASSERT_GE(commands_.size(), 10U);
  }

  CLI::App app_{"leadsync", "leadsync"};
  int exit_code_ = 0;
  std::vector<Command> commands_;
  const std::string doc_ = md::ReadSource(std::string(kDoc));
};

// Whether `option` is named, as a whole word (--latency is not named by
// --latency-jitter), in a code span or a code block of `lines`.
bool NamesOption(const std::vector<md::Line>& lines, const std::string& option) {
  static const std::regex kCodeSpan("`([^`]+)`");
  const std::regex word(option + "(?![A-Za-z0-9_-])");
  for (const md::Line& line : lines) {
    if (line.code) {
      if (std::regex_search(line.text, word)) return true;
      continue;
    }
    for (auto it = std::sregex_iterator(line.text.begin(), line.text.end(), kCodeSpan);
         it != std::sregex_iterator(); ++it) {
      const std::string span = (*it)[1].str();
      if (std::regex_search(span, word)) return true;
    }
  }
  return false;
}

TEST_F(CliDoc, EveryCommandHasASectionNamingEachOfItsOptions) {
  for (const Command& command : commands_) {
    const std::string heading = "`leadsync " + command.path + "`";
    const std::vector<md::Line> section = md::Section(doc_, heading);
    ASSERT_FALSE(section.empty()) << kDoc << " has no section headed " << heading;
    for (const std::string& option : command.options) {
      EXPECT_TRUE(NamesOption(section, option))
          << kDoc << ", section " << heading << ": option " << option << " not named in code";
    }
  }
}

TEST_F(CliDoc, EveryTopLevelOptionIsDocumented) {
  ASSERT_NE(app_.get_option_no_throw("--version"), nullptr);
  for (const CLI::Option* option : app_.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      if (name == "help") continue;
      EXPECT_NE(doc_.find("`leadsync --" + name + "`"), std::string::npos) << kDoc << ": --" << name;
    }
  }
}

TEST_F(CliDoc, EveryCommandHeadingNamesARealCommand) {
  static const std::regex kHeading("^`leadsync ([a-z ]+)`$");
  for (const md::Line& line : md::Lines(doc_)) {
    std::smatch match;
    const std::string text = line.heading > 0 ? md::HeadingText(line) : "";
    if (!std::regex_match(text, match, kHeading)) continue;
    const bool known =
        std::ranges::any_of(commands_, [&](const Command& c) { return c.path == match[1].str(); });
    EXPECT_TRUE(known) << kDoc << ":" << line.number << ": `leadsync " << match[1].str()
                       << "` is not a command";
  }
}

// The exit codes table, code -> meaning.
std::map<int, std::string> DocumentedExitCodes(const std::string& doc) {
  std::map<int, std::string> codes;
  for (const std::vector<std::string>& cells : md::Rows(md::Section(doc, "Exit codes"))) {
    const bool number = cells.size() >= 2 && !cells[0].empty() &&
                        std::ranges::all_of(cells[0], [](unsigned char c) { return std::isdigit(c) != 0; });
    if (number) codes[std::stoi(cells[0])] = cells[1];
  }
  return codes;
}

// `leadsync ARGS...` run in this process, as main() runs it.
int RunMain(std::vector<std::string> args) {
  args.insert(args.begin(), "leadsync");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  return daemon::Main(static_cast<int>(argv.size()), argv.data());
}

TEST_F(CliDoc, ExitCodesAreTheOnesLeadsyncReturns) {
  const std::map<int, std::string> codes = DocumentedExitCodes(doc_);
  std::set<int> listed;
  for (const auto& entry : codes) listed.insert(entry.first);
  EXPECT_EQ(listed, (std::set<int>{0, 1, 2, daemon::kExitQueueDamaged})) << kDoc << ", Exit codes";
  const auto meaning = [&](int code) { return codes.contains(code) ? codes.at(code) : std::string(); };
  EXPECT_NE(meaning(daemon::kExitQueueDamaged).find("queue file is damaged"), std::string::npos)
      << kDoc << ": `leadsync run` exits " << daemon::kExitQueueDamaged << " on a damaged queue file";
  const int usage = RunMain({"no-such-command"});
  EXPECT_TRUE(meaning(usage).starts_with("A usage error")) << kDoc << ": an unknown command exits " << usage;
  const int invalid = RunMain({"check", "-c", "/nonexistent/leadsync.yaml"});
  EXPECT_NE(meaning(invalid).find("an invalid config file"), std::string::npos)
      << kDoc << ": `check` of a file that cannot be read exits " << invalid;
}

TEST_F(CliDoc, DeadLetterReasonsAreTheStores) {
  const std::vector<md::Line> section = md::Section(doc_, "`dlq list --json`");
  const std::vector<std::string> row = md::Row(section, "reason");
  ASSERT_GE(row.size(), 3U) << kDoc << ", dlq list --json: no row for `reason`";
  const std::set<std::string> listed = md::ListedValues(row[2]);
  for (const char* reason : dead_letter::kAll) {
    EXPECT_TRUE(listed.contains(reason)) << kDoc << ", dlq list --json: reason `" << reason << "` not listed";
  }
  for (const std::string& value : listed) {
    EXPECT_TRUE(std::ranges::any_of(dead_letter::kAll, [&](const char* reason) { return value == reason; }))
        << kDoc << ", dlq list --json: `" << value << "` is no dead-letter reason";
  }
}

}  // namespace
}  // namespace leadsync::testing
