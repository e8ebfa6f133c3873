// The reference pages and the bash completion the build generates
// (tools/reference) against their sources: every command and option that
// `leadsync … --help` prints is in leadsync.1 and offered by the completion,
// every key documented in docs/configuration.md is in leadsync.yaml.5, and
// groff renders both pages without a warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/docs/markdown.hpp"
#include "tests/support/process.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
namespace md = markdown;

// Run() to completion; inside a TEST the name Run is testing::Test's.
RunResult Exec(const std::vector<std::string>& argv) { return Run(argv); }

// <build>/daemon/leadsync -> <build>, where tools/reference writes.
fs::path BuildDir() { return fs::path(LEADSYNC_BINARY).parent_path().parent_path(); }

// What `leadsync PATH --help` lists: its options' names and its commands.
struct Help {
  std::vector<std::string> options;   // "-c", "--config"; -h and --help left out
  std::vector<std::string> commands;  // "stats", "check"
};

// Reads CLI11's help: "Options:" lines "  -c,--config TEXT  text", and
// "Subcommands:" lines "  stats  text".
Help ReadHelp(const std::string& text) {
  Help help;
  std::string block;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == ':' && line[0] != ' ') block = line;
    if (!line.starts_with("  ") || line.size() < 3 || line[2] == ' ') continue;
    const std::string first = line.substr(2, line.find(' ', 2) - 2);
    if (block == "Subcommands:") help.commands.push_back(first);
    if (block != "Options:") continue;
    std::istringstream names(first);
    for (std::string name; std::getline(names, name, ',');) {
      if (name != "-h" && name != "--help") help.options.push_back(name);
    }
  }
  return help;
}

// Every command path ("" for leadsync itself) and its help, read from the
// real binary, level by level.
std::map<std::string, Help> HelpOfEveryCommand() {
  std::map<std::string, Help> all;
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    const std::string path = pending.back();
    pending.pop_back();
    std::vector<std::string> argv{LEADSYNC_BINARY};
    std::istringstream words(path);
    for (std::string word; words >> word;) argv.push_back(word);
    argv.emplace_back("--help");
    const RunResult r = Exec(argv);
    EXPECT_EQ(r.exit_code, 0) << path << ": " << r.err;
    Help help = ReadHelp(r.out);
    for (const std::string& command : help.commands)
      pending.push_back(path.empty() ? command : path + " " + command);
    all[path] = std::move(help);
  }
  return all;
}

// roff's spelling of a name: hyphens as \- (tools/reference/roff.hpp).
std::string Roff(const std::string& text) { return std::regex_replace(text, std::regex("-"), "\\-"); }

// The lines of `page` from `.SS "heading"` up to the next .SS or .SH.
std::string Subsection(const std::string& page, const std::string& heading) {
  const std::size_t start = page.find(".SS \"" + heading + "\"\n");
  if (start == std::string::npos) return "";
  const std::size_t end = std::min(page.find("\n.SS ", start + 1), page.find("\n.SH ", start + 1));
  return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

class ReferencePages : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const fs::path& file : {man1_, man5_, completion_}) {
      ASSERT_TRUE(fs::is_regular_file(file)) << file << " not built (target leadsync_reference_pages)";
    }
    ASSERT_GE(help_.size(), 10U);
  }

  const fs::path man1_ = BuildDir() / "leadsync.1";
  const fs::path man5_ = BuildDir() / "leadsync.yaml.5";
  const fs::path completion_ = BuildDir() / "leadsync.bash-completion";
  const std::map<std::string, Help> help_ = HelpOfEveryCommand();
};

TEST_F(ReferencePages, ManPageHasEveryCommandAndOptionThatHelpPrints) {
  const std::string page = ReadFile(man1_);
  for (const auto& [path, help] : help_) {
    const std::string section = path.empty() ? page.substr(0, page.find("\n.SH COMMANDS"))
                                             : Subsection(page, Roff("leadsync " + path));
    ASSERT_FALSE(section.empty()) << man1_ << " has no subsection for `leadsync " << path << "`";
    for (const std::string& option : help.options) {
      EXPECT_NE(section.find("\\fB" + Roff(option) + "\\fR"), std::string::npos)
          << man1_ << ", `leadsync " << path << "`: option " << option << " missing";
    }
  }
  for (const char* part : {".SH NAME\n", ".SH SYNOPSIS\n", ".SH FILES\n", ".SH ENVIRONMENT\n",
                           "LEADSYNC_CONFIG", ".SH SEE ALSO\n", "leadsync.yaml\\fR(5)"}) {
    EXPECT_NE(page.find(part), std::string::npos) << man1_ << ": " << part;
  }
}

TEST_F(ReferencePages, ConfigurationManPageHasEveryDocumentedKey) {
  const std::string page = ReadFile(man5_);
  const std::vector<std::string> keys = md::RowKeys(md::Lines(md::ReadSource("docs/configuration.md")));
  ASSERT_GE(keys.size(), 50U);
  for (const std::string& key : keys) {
    EXPECT_NE(page.find(".TP\n\\fB" + Roff(key) + "\\fR\n"), std::string::npos)
        << man5_ << ": key `" << key << "` of docs/configuration.md missing";
  }
  for (const char* heading : {"leadsquared", "queue", "sources", "metrics", "log"}) {
    EXPECT_NE(page.find(".SH \"\\fB" + std::string(heading) + "\\fR\"\n"), std::string::npos) << heading;
  }
}

// COMPREPLY after `leadsync WORDS... CUR<TAB>`, with bash-completion's two
// helpers stood in for (it need not be installed): _filedir offers "@files".
std::set<std::string> Complete(const fs::path& completion, const std::vector<std::string>& words,
                               const std::string& cur) {
  std::string line = "leadsync";
  for (const std::string& word : words) line += " " + word;
  const std::string script =
      "_init_completion() { words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD; cur=${COMP_WORDS[COMP_CWORD]};"
      " prev=${COMP_WORDS[COMP_CWORD-1]}; }\n"
      "_filedir() { COMPREPLY+=(@files); }\n"
      "source '" +
      completion.string() + "'\nCOMP_WORDS=(" + line + " '" + cur +
      "')\nCOMP_CWORD=" + std::to_string(words.size() + 1) +
      "\n_leadsync\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
  const RunResult r = Exec({"/bin/bash", "--norc", "-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << line;
  std::set<std::string> offered;
  std::istringstream lines(r.out);
  for (std::string word; std::getline(lines, word);) {
    if (!word.empty()) offered.insert(word);
  }
  return offered;
}

TEST_F(ReferencePages, CompletionOffersEveryCommandAndOptionThatHelpPrints) {
  for (const auto& [path, help] : help_) {
    std::vector<std::string> words;
    std::istringstream split(path);
    for (std::string word; split >> word;) words.push_back(word);
    const std::set<std::string> commands = Complete(completion_, words, "");
    for (const std::string& command : help.commands) {
      EXPECT_TRUE(commands.contains(command)) << "`leadsync " << path << " <TAB>` misses " << command;
    }
    const std::set<std::string> options = Complete(completion_, words, "-");
    for (const std::string& option : help.options) {
      EXPECT_TRUE(options.contains(option)) << "`leadsync " << path << " -<TAB>` misses " << option;
    }
  }
}

TEST_F(ReferencePages, CompletionOffersChoicesFilesAndSkipsValues) {
  EXPECT_EQ(Complete(completion_, {"enqueue", "--format"}, ""),
            (std::set<std::string>{"csv", "json", "jsonl"}));
  EXPECT_EQ(Complete(completion_, {"sandbox", "--poison-mode"}, ""), (std::set<std::string>{"400", "mx"}));
  EXPECT_EQ(Complete(completion_, {"check", "-c"}, ""), std::set<std::string>{"@files"});
  EXPECT_EQ(Complete(completion_, {"sandbox", "--seed"}, ""), std::set<std::string>{}) << "free text";
  // A value that is a command's name is still a value: `-c queue` is a file.
  EXPECT_TRUE(Complete(completion_, {"check", "-c", "queue"}, "--").contains("--online"));
  EXPECT_TRUE(Complete(completion_, {"queue", "-c", "q.yaml", "stats"}, "--").contains("--json"));
  EXPECT_TRUE(Complete(completion_, {"enqueue"}, "").contains("@files"));
}

// groff -ww -z: every warning, no output. groff-base is a test dependency
// (scripts/setup --test); man -l renders with the same groff.
TEST_F(ReferencePages, GroffRendersBothPagesWithoutWarnings) {
  const fs::path groff = "/usr/bin/groff";
  ASSERT_TRUE(fs::exists(groff)) << "groff not found; scripts/setup --test installs groff-base";
  for (const fs::path& page : {man1_, man5_}) {
    const RunResult r = Exec({groff.string(), "-man", "-ww", "-z", "-Tutf8", page.string()});
    EXPECT_EQ(r.exit_code, 0) << page << ": " << r.err;
    EXPECT_EQ(r.err, "") << page;
  }
}

}  // namespace
}  // namespace leadsync::testing
