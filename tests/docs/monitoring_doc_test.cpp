// config/monitoring/ against the pages it points at: every runbook of the
// alert rules names headings that exist on its page and an alert its table
// lists; every page or heading the rules and the dashboard name exists;
// docs/operations.md's table of alerts has one row per rule, with the rule's
// severity and its `for:` duration, and its scrape config sets the label
// LeadsyncDown looks for; docs/troubleshooting.md has a section per alert.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace md = markdown;

constexpr std::string_view kRules = "config/monitoring/leadsync-alerts.yml";
constexpr std::string_view kDashboard = "config/monitoring/leadsync-dashboard.json";
constexpr std::string_view kOperations = "docs/operations.md";
constexpr std::string_view kTroubleshooting = "docs/troubleshooting.md";

struct Rule {
  std::string alert;
  std::string severity;
  std::optional<std::string> for_duration;  // `for:`, when the rule has one
  std::string runbook;
};

// The rules, read line by line: the file is written one key a line.
std::vector<Rule> Rules() {
  static const std::regex kAlert(R"(^\s*- alert: (\S+)\s*$)");
  static const std::regex kField(R"re(^\s*(severity|for|runbook): "?(.*?)"?\s*$)re");
  std::vector<Rule> rules;
  std::istringstream lines(md::ReadSource(std::string(kRules)));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kAlert)) {
      rules.push_back({match[1].str(), "", std::nullopt, ""});
    } else if (!rules.empty() && std::regex_match(line, match, kField)) {
      Rule& rule = rules.back();
      if (match[1].str() == "severity") {
        rule.severity = match[2].str();
      } else if (match[1].str() == "for") {
        rule.for_duration = match[2].str();
      } else {
        rule.runbook = match[2].str();
      }
    }
  }
  return rules;
}

std::set<std::string> Headings(const std::string& text) {
  std::set<std::string> headings;
  for (const md::Line& line : md::Lines(text)) {
    if (line.heading > 0) headings.insert(md::HeadingText(line));
  }
  return headings;
}

// Whether `text` is one heading of `headings`, or several joined by " and "
// (a heading may itself hold an "and").
bool IsHeadings(std::string_view text, const std::set<std::string>& headings) {
  for (const std::string& heading : headings) {
    if (!text.starts_with(heading)) continue;
    const std::string_view after = text.substr(heading.size());
    if (after.empty() || (after.starts_with(" and ") && IsHeadings(after.substr(5), headings))) return true;
  }
  return false;
}

// The rows of docs/operations.md's table of alerts, by alert.
std::map<std::string, std::vector<std::string>> AlertRows() {
  std::map<std::string, std::vector<std::string>> rows;
  const std::vector<md::Line> section =
      md::Section(md::ReadSource(std::string(kOperations)), "Dashboards and alerts");
  for (std::vector<std::string>& cells : md::Rows(section)) {
    if (cells.size() >= 4 && cells[0].starts_with("Leadsync")) rows[cells[0]] = std::move(cells);
  }
  return rows;
}

TEST(MonitoringDoc, EveryRuleHasARunbook) {
  const std::vector<Rule> rules = Rules();
  ASSERT_GE(rules.size(), 5U) << kRules << ": rules not found";
  for (const Rule& rule : rules) {
    EXPECT_FALSE(rule.severity.empty()) << kRules << ": " << rule.alert << " has no severity";
    EXPECT_FALSE(rule.runbook.empty()) << kRules << ": " << rule.alert << " has no runbook";
  }
}

// "docs/PAGE.md, Heading[ (why)][ and Heading (why)][: Alert (what to do)]":
// each heading is one of the page's, and the alert is a row of its table.
TEST(MonitoringDoc, EveryRunbookNamesHeadingsAndAnAlertOfItsPage) {
  static const std::regex kRunbook(R"(^([\w./-]+\.md), (.*)$)");
  static const std::regex kAside(R"( ?\([^()]*\))");
  for (const Rule& rule : Rules()) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(rule.runbook, match, kRunbook))
        << kRules << ", " << rule.alert << ": a runbook starts with the page: " << rule.runbook;
    const std::string page = match[1].str();
    ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(LEADSYNC_SOURCE_DIR) / page))
        << kRules << ", " << rule.alert << ": no page " << page;
    const std::string text = md::ReadSource(page);
    std::string rest = std::regex_replace(match[2].str(), kAside, "");
    if (const std::size_t colon = rest.find(": "); colon != std::string::npos) {
      const std::string alert = rest.substr(colon + 2);
      EXPECT_EQ(alert, rule.alert) << kRules << ": the runbook of " << rule.alert
                                   << " points at another alert";
      EXPECT_TRUE(page == kOperations && AlertRows().contains(alert))
          << kRules << ", " << rule.alert << ": " << page << " has no row for " << alert;
      rest.erase(colon);
    }
    EXPECT_TRUE(IsHeadings(rest, Headings(text)))
        << kRules << ", " << rule.alert << ": \"" << rest << "\" is no heading of " << page
        << " (nor several joined by \"and\")";
  }
}

// The files' own references: a page with a quoted heading (`docs/operations.md,
// "Dashboards and alerts"`), and any page or file of the tree they name.
TEST(MonitoringDoc, EveryPageAndHeadingTheAssetsNameExists) {
  static const std::regex kQuoted(R"re(([\w./-]+\.md), "([^"]+)")re");
  static const std::regex kPath(R"((?:^|[\s(])((?:docs|config)/[\w./-]*\w|README\.md|CHANGELOG\.md))");
  for (const std::string_view file : {kRules, kDashboard}) {
    const std::string text = md::ReadSource(std::string(file));
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kQuoted); it != std::sregex_iterator();
         ++it) {
      const std::string page = (*it)[1].str();
      const bool exists = std::filesystem::exists(std::filesystem::path(LEADSYNC_SOURCE_DIR) / page);
      EXPECT_TRUE(exists) << file << ": no page " << page;
      if (!exists) continue;
      EXPECT_TRUE(Headings(md::ReadSource(page)).contains((*it)[2].str()))
          << file << ": " << page << " has no heading \"" << (*it)[2].str() << "\"";
    }
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kPath); it != std::sregex_iterator();
         ++it) {
      EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(LEADSYNC_SOURCE_DIR) / (*it)[1].str()))
          << file << " names " << (*it)[1].str() << ", which the tree does not have";
    }
  }
}

TEST(MonitoringDoc, TheAlertTableHasEveryRuleWithItsSeverityAndDuration) {
  static const std::regex kFor(R"(\bfor \d+[smh]\b)");
  const std::vector<Rule> rules = Rules();
  std::map<std::string, std::vector<std::string>> rows = AlertRows();
  for (const Rule& rule : rules) {
    const auto row = rows.find(rule.alert);
    ASSERT_TRUE(row != rows.end()) << kOperations << ", Dashboards and alerts: no row for " << rule.alert;
    const std::vector<std::string>& cells = row->second;
    EXPECT_EQ(cells[1], rule.severity) << kOperations << ": severity of " << rule.alert;
    if (rule.for_duration) {
      EXPECT_NE(cells[2].find("for " + *rule.for_duration), std::string::npos)
          << kOperations << ", " << rule.alert << ": the rule fires after " << *rule.for_duration << ": "
          << cells[2];
    } else {
      EXPECT_FALSE(std::regex_search(cells[2], kFor))
          << kOperations << ", " << rule.alert
          << ": the rule has no `for:`, the table gives one: " << cells[2];
    }
    rows.erase(row);
  }
  for (const auto& entry : rows) {
    ADD_FAILURE() << kOperations << ": " << entry.first << " is in the table but not in " << kRules;
  }
}

// Each alert has its section, `## ALERT`, saying what one sees, where to look
// and what fixes it; and each such section is an alert's.
TEST(MonitoringDoc, TroubleshootingHasASectionPerAlert) {
  const std::string page = md::ReadSource(std::string(kTroubleshooting));
  std::set<std::string> alerts;
  for (const Rule& rule : Rules()) {
    alerts.insert(rule.alert);
    std::string section;
    for (const md::Line& line : md::Section(page, rule.alert)) section += line.text + "\n";
    ASSERT_FALSE(section.empty()) << kTroubleshooting << ": no section for " << rule.alert;
    for (const char* part : {"**What you see.**", "**Where to look.**", "**What fixes it.**"}) {
      EXPECT_NE(section.find(part), std::string::npos)
          << kTroubleshooting << ", " << rule.alert << ": no " << part;
    }
  }
  for (const md::Line& line : md::Lines(page)) {
    if (line.heading != 2) continue;
    EXPECT_TRUE(alerts.contains(md::HeadingText(line)))
        << kTroubleshooting << ": \"" << md::HeadingText(line) << "\" is no alert of " << kRules;
  }
}

// LeadsyncDown finds the daemon by a label of `up`; the scrape config the page
// gives sets that label on the target.
TEST(MonitoringDoc, TheScrapeConfigSetsTheLabelLeadsyncDownLooksFor) {
  static const std::regex kUp(R"re(expr: up\{(\w+)="([^"]*)"\} == 0)re");
  std::smatch match;
  const std::string rules = md::ReadSource(std::string(kRules));
  ASSERT_TRUE(std::regex_search(rules, match, kUp))
      << kRules << ": LeadsyncDown does not match up by a label";
  const std::string label = match[1].str() + ": \"" + match[2].str() + "\"";
  std::string snippet;
  for (const md::Line& line :
       md::Section(md::ReadSource(std::string(kOperations)), "Dashboards and alerts")) {
    if (line.code) snippet += line.text + "\n";
  }
  EXPECT_NE(snippet.find("scrape_configs:"), std::string::npos) << kOperations << ": no scrape config";
  const std::size_t labels = snippet.find("labels:");
  EXPECT_TRUE(labels != std::string::npos && snippet.find(label, labels) != std::string::npos)
      << kOperations << ", Dashboards and alerts: the scrape config does not set " << label << "\n"
      << snippet;
}

}  // namespace
}  // namespace leadsync::testing
