// The pages against the unit they describe: a setting quoted as a code span
// (`TimeoutStopSec=45s`, `RestartPreventExitStatus=3`) has the value
// systemd/leadsync.service gives it, and the exit code the unit does not
// restart on is the one `leadsync run` gives a damaged queue.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/service.hpp"
#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
namespace md = markdown;

constexpr std::string_view kUnit = "systemd/leadsync.service";

// Key -> every value the unit gives it, from its `Key=value` lines.
std::map<std::string, std::vector<std::string>> UnitSettings() {
  static const std::regex kSetting(R"(^([A-Za-z]+)=(.*)$)");
  std::map<std::string, std::vector<std::string>> settings;
  std::istringstream lines(md::ReadSource(std::string(kUnit)));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kSetting)) settings[match[1].str()].push_back(match[2].str());
  }
  return settings;
}

// Whether `documented` is one of `values`, or the start of one up to a space
// (`ExecReload=/bin/kill` for `/bin/kill -HUP $MAINPID`).
bool IsOneOf(const std::string& documented, const std::vector<std::string>& values) {
  return std::ranges::any_of(values, [&](const std::string& value) {
    return value == documented || value.starts_with(documented + " ");
  });
}

std::vector<fs::path> Pages() {
  std::vector<fs::path> pages{"README.md"};
  for (const auto& entry : fs::directory_iterator(fs::path(LEADSYNC_SOURCE_DIR) / "docs")) {
    if (entry.path().extension() == ".md") pages.push_back(fs::path("docs") / entry.path().filename());
  }
  return pages;
}

TEST(SystemdDoc, EverySettingThePagesQuoteIsTheUnits) {
  static const std::regex kQuoted(R"(`([A-Z][A-Za-z]+)=([^`]+)`)");
  const std::map<std::string, std::vector<std::string>> unit = UnitSettings();
  ASSERT_TRUE(unit.contains("ExecStart")) << kUnit << " not read";
  int checked = 0;
  for (const fs::path& page : Pages()) {
    for (const md::Line& line : md::Lines(md::ReadSource(page.string()))) {
      if (line.code) continue;
      for (auto it = std::sregex_iterator(line.text.begin(), line.text.end(), kQuoted);
           it != std::sregex_iterator(); ++it) {
        const auto setting = unit.find((*it)[1].str());
        // Other keys are not the unit's: sd_notify's READY=1, settings the
        // page says are left off (ProcSubset=pid).
        if (setting == unit.end()) continue;
        EXPECT_TRUE(IsOneOf((*it)[2].str(), setting->second))
            << page.string() << ":" << line.number << ": `" << (*it)[1].str() << "=" << (*it)[2].str()
            << "`, but " << kUnit << " has " << setting->first << "=" << setting->second.front();
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 5);
}

TEST(SystemdDoc, TheUnitDoesNotRestartOnADamagedQueue) {
  const std::map<std::string, std::vector<std::string>> unit = UnitSettings();
  ASSERT_TRUE(unit.contains("RestartPreventExitStatus")) << kUnit;
  EXPECT_TRUE(IsOneOf(std::to_string(daemon::kExitQueueDamaged), unit.at("RestartPreventExitStatus")))
      << kUnit << ": RestartPreventExitStatus does not name kExitQueueDamaged";
}

}  // namespace
}  // namespace leadsync::testing
