#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/loader.hpp"

// The machinery the section readers share: where errors go, and a reader for
// one YAML map that knows which keys were used. Internal to config/.
namespace leadsync::config {

// State of one load: the file name errors carry, the directory relative paths
// resolve against, the environment for ${NAME}, and every error so far.
class LoadContext final {
 public:
  LoadContext(std::string file, std::filesystem::path base_dir, const EnvLookup& env,
              SecretHandling secrets = SecretHandling::kRead);

  // Records an error at `mark` (yaml-cpp's 0-based mark; a null mark, as an
  // empty document has, becomes line 1, column 1).
  void Error(const YAML::Mark& mark, std::string message);
  // Every error recorded, in file order (by line, then column, then as recorded).
  [[nodiscard]] std::vector<ConfigError> TakeErrors();
  // Something that works but is probably a mistake; `check` shows it.
  void Warn(const YAML::Mark& mark, std::string message);
  [[nodiscard]] std::vector<ConfigError> TakeWarnings() { return std::exchange(warnings_, {}); }

  [[nodiscard]] const EnvLookup& Env() const { return env_; }
  [[nodiscard]] const std::filesystem::path& BaseDir() const { return base_dir_; }
  [[nodiscard]] bool ReadsSecrets() const { return secrets_ == SecretHandling::kRead; }
  // Whether what the sources need on this host is looked at (a spool
  // directory exists): HostCheck::kCheck sets it.
  void CheckHost() { checks_host_ = true; }
  [[nodiscard]] bool ChecksHost() const { return checks_host_; }

  // Where MapReader notes the path of every key it looks for (nullptr, the
  // default: nowhere). See KeysLookedFor() in config/loader.hpp.
  void SetKeyLog(std::vector<std::string>* log) { key_log_ = log; }
  void NoteKeyLookedFor(const std::string& path);

 private:
  std::string file_;
  SecretHandling secrets_;
  std::filesystem::path base_dir_;
  const EnvLookup& env_;
  std::vector<ConfigError> errors_;
  std::vector<ConfigError> warnings_;
  std::vector<std::string>* key_log_ = nullptr;
  bool checks_host_ = false;
};

// One value to read: a map value or a list item. `name` is how messages
// call it ("batch_size", "rate_limit.per", "cursor[1]").
struct Entry {
  std::string name;
  YAML::Node value;
  YAML::Mark key_mark;  // the key's position (for a list item: the item's or the list's)
  bool secret = false;  // never quote the value in a message

  // Where problems with the value are reported: the value itself, or the key
  // when the value is empty (yaml-cpp places empty values at the next token).
  [[nodiscard]] YAML::Mark ValueMark() const;
};

// "a map", "a list", "an empty value", or the scalar quoted ('abc'); a secret
// scalar is only "a string".
[[nodiscard]] std::string Describe(const YAML::Node& node, bool secret);

// Reads one YAML map. Hands out entries by key; reports duplicate keys when
// built and, in ReportUnknown, every key that nobody took. A null node reads
// as an empty map; anything else that is not a map is reported once and then
// reads as empty, without "missing key" errors piling up.
class MapReader final {
 public:
  // `entry`: the map, and in its key_mark where "missing key" errors go (the
  // section's key, a list item). `label`: how messages name the map ("leadsquared", "source 'crm'"; empty
  // for the top level); as given here, it is also the map's path in the key
  // log ("leadsquared.rate_limit", "sources[2]"). `prefix` goes before entry names ("rate_limit.").
  MapReader(LoadContext& context, const Entry& entry, std::string label, std::string prefix = "");

  [[nodiscard]] std::optional<Entry> Take(std::string_view key);
  // The entry, without taking it.
  [[nodiscard]] std::optional<Entry> Peek(std::string_view key) const;
  // Take, reporting "missing required key" when absent.
  [[nodiscard]] std::optional<Entry> TakeRequired(std::string_view key);
  // Every entry not taken yet, in file order; they count as taken afterwards.
  [[nodiscard]] std::vector<Entry> TakeRest();
  // "unknown key" for every entry not taken yet, or for one entry.
  void ReportUnknown();
  void ReportUnknown(const Entry& entry);
  // "missing required key 'KEY'" (or "'KEY' or 'ALTERNATIVE'") at the anchor.
  void ReportMissing(std::string_view key, std::string_view alternative = {});

  void SetLabel(std::string label) { label_ = std::move(label); }
  [[nodiscard]] LoadContext& Context() const { return context_; }

 private:
  struct Slot {
    std::string key;
    Entry entry;
    bool taken = false;
  };
  void Collect(const YAML::Node& map);

  void NoteKey(std::string_view key) const;

  LoadContext& context_;
  YAML::Mark anchor_;
  std::string label_;
  std::string path_;  // the label as first given (SetLabel renames sources)
  std::string prefix_;
  bool is_map_ = true;
  std::vector<Slot> slots_;
  mutable std::vector<std::string> asked_;  // every key looked for, for "did you mean"
};

}  // namespace leadsync::config
