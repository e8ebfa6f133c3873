// The layering of core/, read from the source tree (no compiler): no file of
// core/ includes a config/ header (each part takes its own options struct,
// and daemon/options/ makes them from the config), and the folders of core/
// include each other only downwards, in the order kLayers gives, so no two
// folders include each other. core/CMakeLists.txt says the same: leadsync_core
// links leadsync_config only while kPendingExceptions is not empty.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::weakly_canonical(LEADSYNC_SOURCE_DIR);

// core/ files allowed to include config/: none. An entry here would have to
// say why, and leadsync_core would have to link leadsync_config again.
const std::set<std::string> kPendingExceptions = {};

// The folders of core/, lowest first: a folder includes only folders of a
// lower layer ("core" is the files at core/'s top: lead, clock, timer).
const std::vector<std::vector<std::string>> kLayers = {
    {"core"},          {"mapping", "net", "tasks"}, {"codec", "metrics", "schema"},
    {"queue", "http"}, {"dispatch", "sources"},
};

std::string LayersText() {
  std::string text =
      "the allowed direction, lowest layer first (a folder includes only folders of a lower layer):\n";
  for (std::size_t i = 0; i < kLayers.size(); ++i) {
    text += "  " + std::to_string(i) + ":";
    for (const std::string& folder : kLayers[i]) text += " " + folder;
    text += "\n";
  }
  return text;
}

std::map<std::string, int> LayerOfFolder() {
  std::map<std::string, int> layers;
  for (std::size_t i = 0; i < kLayers.size(); ++i) {
    for (const std::string& folder : kLayers[i]) layers[folder] = static_cast<int>(i);
  }
  return layers;
}

// "core/http/outcome.hpp" -> "http"; "core/lead.hpp" -> "core".
std::string FolderOf(const std::string& path) {
  const std::size_t first = path.find('/');
  const std::size_t second = path.find('/', first + 1);
  return second == std::string::npos ? "core" : path.substr(first + 1, second - first - 1);
}

struct Include {
  std::string target;  // as written: "config/config.hpp"
  int line = 0;
};

struct File {
  std::string path;  // from the tree's root: "core/http/outcome.hpp"
  std::vector<Include> includes;
};

std::vector<Include> QuotedIncludes(const fs::path& path) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*"([^"]+)\")");
  std::vector<Include> includes;
  std::istringstream lines(ReadFile(path));
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    std::smatch match;
    if (std::regex_search(line, match, kInclude)) includes.push_back({match[1].str(), number});
  }
  return includes;
}

std::vector<File> CoreFiles() {
  std::vector<File> files;
  for (const auto& entry : fs::recursive_directory_iterator(kRoot / "core")) {
    const std::string extension = entry.path().extension().string();
    if (!entry.is_regular_file() || (extension != ".hpp" && extension != ".cpp" && extension != ".ipp"))
      continue;
    files.push_back({fs::relative(entry.path(), kRoot).generic_string(), QuotedIncludes(entry.path())});
  }
  return files;
}

bool IncludesConfig(const File& file) {
  return std::ranges::any_of(file.includes, [](const Include& i) { return i.target.starts_with("config/"); });
}

TEST(IncludeGraph, ReadsTheCoreTree) {
  const std::vector<File> files = CoreFiles();
  EXPECT_GT(files.size(), 100u);
  const auto lead = std::ranges::find(files, std::string("core/lead.hpp"), &File::path);
  ASSERT_NE(lead, files.end());
  EXPECT_FALSE(lead->includes.empty());
}

TEST(IncludeGraph, NoCoreFileIncludesConfig) {
  for (const File& file : CoreFiles()) {
    if (kPendingExceptions.contains(file.path)) continue;
    for (const Include& include : file.includes) {
      EXPECT_FALSE(include.target.starts_with("config/"))
          << file.path << ":" << include.line << " includes " << include.target
          << ": core/ takes options structs of its own; daemon/options/ makes them from the config";
    }
  }
}

TEST(IncludeGraph, PendingExceptionsStillIncludeConfig) {
  std::set<std::string> still;
  for (const File& file : CoreFiles()) {
    if (IncludesConfig(file)) still.insert(file.path);
  }
  for (const std::string& path : kPendingExceptions) {
    EXPECT_TRUE(still.contains(path))
        << path << " no longer includes config/: remove it from kPendingExceptions";
  }
}

TEST(IncludeGraph, CoreFoldersIncludeOnlyLowerLayers) {
  const std::map<std::string, int> layers = LayerOfFolder();
  for (const File& file : CoreFiles()) {
    const std::string from = FolderOf(file.path);
    ASSERT_TRUE(layers.contains(from)) << "core/" << from << " has no layer in kLayers\n" << LayersText();
    for (const Include& include : file.includes) {
      if (!include.target.starts_with("core/")) continue;
      const std::string to = FolderOf(include.target);
      if (to == from) continue;
      ASSERT_TRUE(layers.contains(to)) << "core/" << to << " has no layer in kLayers\n" << LayersText();
      EXPECT_LT(layers.at(to), layers.at(from))
          << file.path << ":" << include.line << " includes " << include.target << ": core/" << from
          << " may not depend on core/" << to << "\n"
          << LayersText();
    }
  }
}

// The link line of leadsync_core, from `target_link_libraries(leadsync_core`
// to its closing parenthesis.
std::string CoreLinks() {
  const std::string text = ReadFile(kRoot / "core" / "CMakeLists.txt");
  const std::size_t start = text.find("target_link_libraries(leadsync_core");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find(')', start) - start);
}

TEST(IncludeGraph, CoreLinksConfigOnlyWhileExceptionsRemain) {
  const std::string links = CoreLinks();
  ASSERT_FALSE(links.empty());
  EXPECT_EQ(links.find("leadsync_config") != std::string::npos, !kPendingExceptions.empty())
      << "leadsync_core links leadsync_config exactly while kPendingExceptions lists files that need it:\n"
      << links;
}

}  // namespace
}  // namespace leadsync::testing
