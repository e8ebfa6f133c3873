// docs/configuration.md's defaults and ranges against the loader: a file
// giving a key its documented default loads to the same Config as one
// leaving the key out (so the default is the loader's, read by the loader's
// own parsers), and where a row's "allowed" column gives a range, its bounds
// load and the values just outside them are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "config/loader.hpp"
#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace md = markdown;

constexpr std::string_view kDoc = "docs/configuration.md";

// A YAML map, written in block style; a key with a value is a scalar or flow
// text as written.
struct YamlNode {
  std::string key;
  std::string value;
  std::vector<YamlNode> children;

  void Set(const std::string& path, const std::string& text) {
    const std::size_t dot = path.find('.');
    const std::string name = path.substr(0, dot);
    auto child = std::ranges::find(children, name, &YamlNode::key);
    if (child == children.end()) child = children.insert(children.end(), YamlNode{name, "", {}});
    if (dot == std::string::npos) {
      child->value = text;
    } else {
      child->Set(path.substr(dot + 1), text);
    }
  }
  void Render(std::string& out, const std::string& indent) const {
    for (const YamlNode& child : children) {
      out += indent + child.key + ":" + (child.children.empty() ? " " + child.value : "") + "\n";
      child.Render(out, indent + "  ");
    }
  }
};

struct Setting {
  std::string path;  // "leadsquared.rate_limit.per", "sources.*.max_line_length", "sources.tail.start_at"
  std::string value;
};

// A valid file with only the required keys (one source of each type), plus
// `setting`.
std::string MinimalFile(const std::optional<Setting>& setting) {
  YamlNode top;
  top.Set("leadsquared.api_host", "https://api.leadsquared.com");
  top.Set("leadsquared.access_key", "access");
  top.Set("leadsquared.secret_key", "secret");
  top.Set("queue.path", "queue.db");
  std::map<std::string, YamlNode> sources;
  sources["spool"].Set("path", "spool");
  sources["tail"].Set("path", "leads.jsonl");
  sources["postgres"].Set("dsn", "host=localhost");
  sources["postgres"].Set("query", "SELECT c FROM leads WHERE c >= $1 LIMIT 10");
  sources["postgres"].Set("cursor", "c");
  sources["webhook"].Set("listen", "127.0.0.1:0");
  sources["webhook"].Set("token", "token");
  if (setting && setting->path.starts_with("sources.")) {
    const std::size_t dot = setting->path.find('.', 8);
    const std::string type = setting->path.substr(8, dot - 8);
    for (auto& [name, source] : sources) {
      if (type == "*" || type == name) source.Set(setting->path.substr(dot + 1), setting->value);
    }
  } else if (setting) {
    top.Set(setting->path, setting->value);
  }
  std::string text;
  top.Render(text, "");
  text += "sources:\n";
  for (const auto& [type, source] : sources) {
    text += "  - name: " + type + "\n    type: " + type + "\n";
    source.Render(text, "    ");
  }
  return text;
}

config::LoadResult LoadMinimal(const std::optional<Setting>& setting) {
  return config::LoadConfigFromString(MinimalFile(setting), "minimal.yaml");
}

std::string Errors(const config::LoadResult& result) {
  std::string text;
  for (const config::ConfigError& error : result.errors) text += "\n  " + error.ToString();
  return text;
}

// One documented key: where its row is and the path a file gives it at.
struct DocumentedKey {
  std::string where;  // "`leadsquared`, `batch_size`"
  std::string path;
  std::vector<std::string> cells;  // key, type, default, allowed, what it does
};

// Rows of a table of keys (key | type | default | allowed | …).
std::vector<DocumentedKey> KeyRows(const std::vector<md::Line>& lines, const std::string& section,
                                   const std::string& prefix) {
  std::vector<DocumentedKey> keys;
  for (std::vector<std::string>& cells : md::Rows(lines)) {
    if (cells.size() < 5 || !cells[0].starts_with("`") || !cells[0].ends_with("`")) continue;
    const std::string key = cells[0].substr(1, cells[0].size() - 2);
    keys.push_back(
        {section + ", `" + key + "`", prefix.empty() ? key : prefix + "." + key, std::move(cells)});
  }
  return keys;
}

// The first code span of a cell that starts with one, with what follows it.
std::optional<std::pair<std::string, std::string>> LeadingCode(const std::string& cell) {
  if (!cell.starts_with("`")) return std::nullopt;
  const std::size_t close = cell.find('`', 1);
  if (close == std::string::npos) return std::nullopt;
  return std::pair{cell.substr(1, close - 1), cell.substr(close + 1)};
}

// The tables of keys: each section headed by a key in a code span
// (`leadsquared`, `shutdown_timeout`; not `sources`, whose keys are in the
// next two), "Keys of every source", and each `type: TYPE`.
class ConfigurationValues : public ::testing::Test {
 protected:
  [[nodiscard]] std::vector<DocumentedKey> DocumentedKeys() const {
    static const std::regex kSection("^`([a-z_]+)`$");
    static const std::regex kType("^`type: ([a-z]+)`$");
    std::vector<DocumentedKey> keys;
    auto add = [&](std::vector<DocumentedKey> more) {
      keys.insert(keys.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    };
    for (const md::Line& line : md::Lines(doc_)) {
      std::smatch match;
      const std::string heading = line.heading > 0 ? md::HeadingText(line) : "";
      if (std::regex_match(heading, match, kSection) && match[1].str() != "sources") {
        const std::string section = match[1].str();
        const std::vector<md::Line> lines = md::Section(doc_, heading);
        // A section of one key (`shutdown_timeout`) has a row for itself.
        const std::string prefix = md::Row(lines, section).empty() ? section : "";
        add(KeyRows(lines, heading, prefix));
      } else if (std::regex_match(heading, match, kType)) {
        add(KeyRows(md::Section(doc_, heading), heading, "sources." + match[1].str()));
      } else if (heading == "Keys of every source") {
        add(KeyRows(md::Section(doc_, heading), "keys of every source", "sources.*"));
      }
    }
    return keys;
  }

  // Whether `value` at `key` loads to the same Config as leaving it out.
  void ExpectDefault(const DocumentedKey& key, const std::string& value) const {
    const config::LoadResult with = LoadMinimal(Setting{key.path, value});
    ASSERT_TRUE(with.errors.empty()) << kDoc << ", " << key.where << ": the documented default `" << value
                                     << "` is refused:" << Errors(with);
    EXPECT_TRUE(*with.config == *base_.config)
        << kDoc << ", " << key.where << ": documented default `" << value << "`, but the loader's differs";
  }

  void ExpectLoads(const DocumentedKey& key, const std::string& value, bool accepted) const {
    const config::LoadResult result = LoadMinimal(Setting{key.path, value});
    EXPECT_EQ(result.errors.empty(), accepted)
        << kDoc << ", " << key.where << " (allowed: " << key.cells[3] << "): `" << value << "` is "
        << (accepted ? "refused:" + Errors(result) : std::string("accepted"));
  }

  const std::string doc_ = md::ReadSource(std::string(kDoc));
  const config::LoadResult base_ = LoadMinimal(std::nullopt);
};

TEST_F(ConfigurationValues, TheMinimalFileLoads) {
  EXPECT_TRUE(base_.errors.empty()) << MinimalFile(std::nullopt) << Errors(base_);
}

// A default is a code span (`25`, `1MiB` (1048576): the bytes too), or says
// there is none: "required", "none", "see below", "(or `other_key`)".
TEST_F(ConfigurationValues, EveryDocumentedDefaultIsTheLoaders) {
  ASSERT_TRUE(base_.errors.empty()) << Errors(base_);
  const std::vector<DocumentedKey> keys = DocumentedKeys();
  ASSERT_GE(keys.size(), 40U);
  int checked = 0;
  for (const DocumentedKey& key : keys) {
    const std::string& cell = key.cells[2];
    const auto code = LeadingCode(cell);
    if (!code) {
      const bool none = cell == "required" || cell == "none" || cell == "see below" ||
                        cell.starts_with("required (or `") || cell.starts_with("(or `");
      EXPECT_TRUE(none) << kDoc << ", " << key.where
                        << ": a default written as neither a value in a code span "
                        << "nor \"required\", \"none\", \"see below\" or \"(or `key`)\": " << cell;
      continue;
    }
    ExpectDefault(key, code->first);
    ++checked;
    std::smatch bytes;
    static const std::regex kBytes(R"(^\s*\((\d+)\)$)");
    if (std::regex_match(code->second, bytes, kBytes)) {
      EXPECT_EQ(config::ParseByteSize(code->first).value_or(0), std::stoull(bytes[1].str()))
          << kDoc << ", " << key.where << ": " << cell;
    }
  }
  EXPECT_GE(checked, 30);
}

// "A to B" (integers), "N or more", and "more than 0" (durations and sizes):
// the bounds load, the values just outside them do not. A further rule after
// a comma ("and not less than `initial_backoff`") is not read, so then only
// the refusal of 0 is checked.
TEST_F(ConfigurationValues, EveryDocumentedRangeIsTheLoaders) {
  ASSERT_TRUE(base_.errors.empty()) << Errors(base_);
  static const std::regex kBetween(R"(^(\d+) to (\d+)$)");
  static const std::regex kAtLeast(R"(^(\d+) or more$)");
  int checked = 0;
  for (const DocumentedKey& key : DocumentedKeys()) {
    const std::string& type = key.cells[1];
    const std::string& allowed = key.cells[3];
    const std::string unit = type == "duration" ? "s" : "";
    std::smatch match;
    if (type == "integer" && std::regex_match(allowed, match, kBetween)) {
      const long low = std::stol(match[1].str());
      const long high = std::stol(match[2].str());
      for (const long value : {low, high}) ExpectLoads(key, std::to_string(value), true);
      for (const long value : {low - 1, high + 1}) ExpectLoads(key, std::to_string(value), false);
    } else if ((type == "integer" || type == "duration") && std::regex_match(allowed, match, kAtLeast)) {
      const long low = std::stol(match[1].str());
      ExpectLoads(key, std::to_string(low) + unit, true);
      if (low > 0) ExpectLoads(key, std::to_string(low - 1) + unit, false);
    } else if ((type == "duration" || type == "size") && allowed.starts_with("more than 0")) {
      ExpectLoads(key, type == "duration" ? "0s" : "0", false);
      if (allowed == "more than 0") ExpectLoads(key, type == "duration" ? "1ms" : "1", true);
    } else {
      continue;
    }
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

}  // namespace
}  // namespace leadsync::testing
