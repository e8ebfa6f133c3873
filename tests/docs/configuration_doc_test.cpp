// docs/configuration.md against the loader: every key the loader looks for
// has a row in the table of its section, and every row names such a key.
// (configuration_values_doc_test.cpp checks each row's default and range.)
//
// The key list comes from the loader itself (config::KeysLookedFor): a
// document with every section, every nested map found so far and one source
// of each type the loader names in its own error message is read, and every
// key looked for is a key it accepts. A key that turns out to be a map (its
// keys appear once it is given as one) is explored the same way, until no
// new key appears; so a key or a nested map added to the loader shows up
// here without this file changing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace md = markdown;

constexpr std::string_view kDoc = "docs/configuration.md";

// The source types, from the loader's message for an unknown one:
// "type: expected spool, tail, postgres or webhook, got 'x'".
std::vector<std::string> SourceTypes() {
  const config::LoadResult result =
      config::LoadConfigFromString("sources: [{name: x, type: x}]\n", "types.yaml");
  for (const config::ConfigError& error : result.errors) {
    const std::string& message = error.message;
    const std::size_t from = message.find("type: expected ");
    const std::size_t to = message.find(", got ");
    if (from == std::string::npos || to == std::string::npos) continue;
    std::string list = message.substr(from + 15, to - from - 15);
    for (std::size_t at = list.find(" or "); at != std::string::npos; at = list.find(" or ")) {
      list.replace(at, 4, ", ");
    }
    std::vector<std::string> types;
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(", ", start), list.size());
      types.push_back(list.substr(start, comma - start));
      start = comma + 2;
    }
    return types;
  }
  return {};
}

// A tree of maps by dotted path, written as YAML flow (JSON) text.
struct MapTree {
  std::map<std::string, MapTree> children;

  void Add(const std::string& path) {
    const std::size_t dot = path.find('.');
    MapTree& child = children[path.substr(0, dot)];
    if (dot != std::string::npos) child.Add(path.substr(dot + 1));
  }
  [[nodiscard]] std::string Json() const {
    std::string text = "{";
    for (const auto& [name, child] : children) {
      text += (text.size() > 1 ? ", " : "") + ("\"" + name + "\": ") + child.Json();
    }
    return text + "}";
  }
};

// Every map of `maps` present (empty unless a longer path runs through it),
// and the source list: sources[i] of type types[i].
std::string Document(const std::set<std::string>& maps, const std::vector<std::string>& types) {
  MapTree top;
  std::vector<MapTree> sources(types.size());
  for (const std::string& path : maps) {
    if (!path.starts_with("sources[")) {
      top.Add(path);
      continue;
    }
    const std::size_t close = path.find(']');
    const std::size_t index = std::stoul(path.substr(8, close - 8));
    if (index < sources.size() && close + 1 < path.size()) sources[index].Add(path.substr(close + 2));
  }
  std::string list = "[";
  for (std::size_t i = 0; i < types.size(); ++i) {
    std::string source = sources[i].Json();
    source.insert(1, "\"name\": \"s" + std::to_string(i) + "\", \"type\": \"" + types[i] + "\"" +
                         (source.size() > 2 ? ", " : ""));
    list += (i > 0 ? ", " : "") + source;
  }
  top.children.erase("sources");
  std::string document = top.Json();
  document.insert(document.size() - 1,
                  std::string(document.size() > 2 ? ", " : "") + "\"sources\": " + list + "]");
  return document;
}

bool HasKeysUnder(const std::vector<std::string>& keys, const std::string& path) {
  return std::ranges::any_of(keys, [&](const std::string& key) { return key.starts_with(path + "."); });
}

// Every key the loader accepts, found as described at the top of this file.
std::vector<std::string> LoaderKeys(const std::vector<std::string>& types) {
  std::set<std::string> maps;
  std::set<std::string> probed{"sources"};
  std::vector<std::string> keys = config::KeysLookedFor(Document(maps, types));
  for (bool grew = true; grew;) {
    grew = false;
    for (const std::string& key : keys) {
      if (!probed.insert(key).second) continue;
      std::set<std::string> with = maps;
      with.insert(key);
      if (HasKeysUnder(config::KeysLookedFor(Document(with, types)), key)) {
        maps.insert(key);
        grew = true;
      }
    }
    keys = config::KeysLookedFor(Document(maps, types));
  }
  return keys;
}

struct SourceKey {
  std::size_t index = 0;
  std::string key;  // below the source: "path", "fields"
};

std::optional<SourceKey> AsSourceKey(const std::string& path) {
  if (!path.starts_with("sources[")) return std::nullopt;
  const std::size_t close = path.find(']');
  if (close + 2 > path.size()) return std::nullopt;
  return SourceKey{std::stoul(path.substr(8, close - 8)), path.substr(close + 2)};
}

class ConfigurationDoc : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(types_.size(), 4U) << "the loader's message for an unknown source type changed";
    // The discovery itself must work: a few keys the loader has always had.
    for (const char* known : {"shutdown_timeout", "leadsquared.api_host", "leadsquared.rate_limit.per",
                              "leadsquared.secret_key_file", "queue.path", "sources[0].max_line_length"}) {
      ASSERT_NE(std::ranges::find(keys_, known), keys_.end()) << known << " not found among the keys";
    }
    for (const std::string& key : keys_) {
      if (const auto source = AsSourceKey(key)) by_type_[types_.at(source->index)].insert(source->key);
    }
  }

  // Keys every type looks for.
  [[nodiscard]] std::set<std::string> CommonKeys() const {
    std::set<std::string> common = by_type_.begin()->second;
    for (const auto& entry : by_type_) {
      const std::set<std::string>& keys = entry.second;
      std::erase_if(common, [&](const std::string& key) { return !keys.contains(key); });
    }
    return common;
  }

  const std::string doc_ = md::ReadSource(std::string(kDoc));
  const std::vector<std::string> types_ = SourceTypes();
  const std::vector<std::string> keys_ = LoaderKeys(types_);
  std::map<std::string, std::set<std::string>> by_type_;
};

// A top-level map (`leadsquared`) is a section; any other key (`shutdown_timeout`,
// `leadsquared.rate_limit`, `leadsquared.rate_limit.per`) is a row in the
// section of its top-level key.
TEST_F(ConfigurationDoc, EveryKeyHasARowInItsSection) {
  for (const std::string& key : keys_) {
    if (AsSourceKey(key) || key == "sources") continue;
    const std::size_t dot = key.find('.');
    const std::string section = key.substr(0, dot);
    const std::vector<md::Line> lines = md::Section(doc_, "`" + section + "`");
    ASSERT_FALSE(lines.empty()) << kDoc << " has no heading for `" << section << "`";
    if (dot == std::string::npos && HasKeysUnder(keys_, key)) continue;
    const std::string row = dot == std::string::npos ? key : key.substr(dot + 1);
    EXPECT_FALSE(md::Row(lines, row).empty())
        << kDoc << ", section `" << section << "`: no table row for `" << row << "` (key " << key << ")";
  }
}

TEST_F(ConfigurationDoc, EverySourceKeyHasARowForEveryTypeOrForAll) {
  const std::set<std::string> common = CommonKeys();
  const std::vector<md::Line> every = md::Section(doc_, "Keys of every source");
  ASSERT_FALSE(every.empty()) << kDoc << " has no \"Keys of every source\" section";
  for (const std::string& key : common) {
    EXPECT_FALSE(md::Row(every, key).empty()) << kDoc << ", keys of every source: no row for `" << key << "`";
  }
  for (const auto& [type, keys] : by_type_) {
    const std::vector<md::Line> lines = md::Section(doc_, "`type: " + type + "`");
    ASSERT_FALSE(lines.empty()) << kDoc << " has no section `type: " << type << "`";
    for (const std::string& key : keys) {
      if (common.contains(key)) continue;
      EXPECT_FALSE(md::Row(lines, key).empty())
          << kDoc << ", `type: " << type << "`: no table row for `" << key << "`";
    }
  }
}

TEST_F(ConfigurationDoc, EveryRowNamesAKeyTheLoaderAccepts) {
  for (const std::string& key : keys_) {
    if (key.find('.') != std::string::npos || key == "sources") continue;
    for (const std::string& row : md::RowKeys(md::Section(doc_, "`" + key + "`"))) {
      const std::string path = key + "." + row;
      EXPECT_TRUE(row == key || std::ranges::find(keys_, path) != keys_.end())
          << kDoc << ", section `" << key << "` documents `" << row << "`, which the loader does not accept";
    }
  }
  const std::set<std::string> common = CommonKeys();
  for (const std::string& row : md::RowKeys(md::Section(doc_, "Keys of every source"))) {
    EXPECT_TRUE(common.contains(row)) << kDoc << ": `" << row << "` is not a key of every source";
  }
  for (const auto& [type, keys] : by_type_) {
    for (const std::string& row : md::RowKeys(md::Section(doc_, "`type: " + type + "`"))) {
      EXPECT_TRUE(keys.contains(row)) << kDoc << ": `" << row << "` is not a key of a " << type << " source";
    }
  }
}

// A `fields` entry given as a map (a conversion) has keys of its own, which
// the discovery above never meets (its documents hold no `fields` entry):
// they come from a document that has one, and the table under "A
// conversion's keys" has a row for each of them and for nothing else.
TEST_F(ConfigurationDoc, EveryConversionKeyHasARowAndEveryRowIsOne) {
  const std::string prefix = "sources[0].fields.c.";
  std::set<std::string> loader;
  for (const std::string& key :
       config::KeysLookedFor("sources: [{name: s, type: spool, path: /s, fields: {c: {to: X}}}]\n")) {
    if (key.starts_with(prefix)) loader.insert(key.substr(prefix.size()));
  }
  ASSERT_GE(loader.size(), 5U) << "the loader's conversion keys were not found";
  const std::vector<md::Line> lines = md::Section(doc_, "A conversion's keys");
  ASSERT_FALSE(lines.empty()) << kDoc << " has no \"A conversion's keys\" section";
  for (const std::string& key : loader) {
    EXPECT_FALSE(md::Row(lines, key).empty()) << kDoc << ", a conversion's keys: no row for `" << key << "`";
  }
  for (const std::string& row : md::RowKeys(lines)) {
    EXPECT_TRUE(loader.contains(row)) << kDoc << ": `" << row << "` is not a key of a conversion";
  }
}

}  // namespace
}  // namespace leadsync::testing
