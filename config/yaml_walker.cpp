#include "config/yaml_walker.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "config/closest_name.hpp"

namespace leadsync::config {
namespace {

constexpr std::array<std::string_view, 4> kSecretKeys{"access_key", "secret_key", "dsn", "token"};

bool IsSecretKey(std::string_view key) { return std::ranges::find(kSecretKeys, key) != kSecretKeys.end(); }

int OneBased(int zero_based) { return zero_based < 0 ? 1 : zero_based + 1; }

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

LoadContext::LoadContext(std::string file, std::filesystem::path base_dir, const EnvLookup& env,
                         SecretHandling secrets)
    : file_(std::move(file)), secrets_(secrets), base_dir_(std::move(base_dir)), env_(env) {}

void LoadContext::Error(const YAML::Mark& mark, std::string message) {
  errors_.push_back(ConfigError{file_, OneBased(mark.line), OneBased(mark.column), std::move(message)});
}

void LoadContext::Warn(const YAML::Mark& mark, std::string message) {
  warnings_.push_back(ConfigError{file_, OneBased(mark.line), OneBased(mark.column), std::move(message)});
}

std::vector<ConfigError> LoadContext::TakeErrors() {
  std::ranges::stable_sort(errors_, [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return std::exchange(errors_, {});
}

void LoadContext::NoteKeyLookedFor(const std::string& path) {
  if (key_log_ != nullptr && std::ranges::find(*key_log_, path) == key_log_->end()) key_log_->push_back(path);
}

YAML::Mark Entry::ValueMark() const { return !value.IsDefined() || value.IsNull() ? key_mark : value.Mark(); }

std::string Describe(const YAML::Node& node, bool secret) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (!node.IsScalar()) return "an empty value";
  return secret ? "a string" : Quote(node.Scalar());
}

MapReader::MapReader(LoadContext& context, const Entry& entry, std::string label, std::string prefix)
    : context_(context),
      anchor_(entry.key_mark),
      label_(std::move(label)),
      path_(label_),
      prefix_(std::move(prefix)) {
  if (entry.value.IsMap()) {
    Collect(entry.value);
  } else if (!entry.value.IsNull()) {
    is_map_ = false;
    const std::string what = entry.name.empty() ? "the top level" : entry.name;
    context_.Error(entry.ValueMark(), what + ": expected a map, got " + Describe(entry.value, entry.secret));
  }
}

void MapReader::Collect(const YAML::Node& map) {
  for (const auto& pair : map) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) {
      context_.Error(key.Mark(), "a key must be a plain name, got " + Describe(key, false));
      continue;
    }
    const std::string& name = key.Scalar();
    const bool duplicate = std::ranges::any_of(slots_, [&](const Slot& slot) { return slot.key == name; });
    if (duplicate) {
      context_.Error(key.Mark(), "duplicate key " + Quote(name) + (label_.empty() ? "" : " in " + label_));
      continue;
    }
    slots_.push_back(Slot{name, Entry{prefix_ + name, pair.second, key.Mark(), IsSecretKey(name)}});
  }
}

void MapReader::NoteKey(std::string_view key) const {
  if (std::ranges::find(asked_, key) == asked_.end()) asked_.emplace_back(key);
  context_.NoteKeyLookedFor(path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

std::optional<Entry> MapReader::Take(std::string_view key) {
  NoteKey(key);
  for (Slot& slot : slots_) {
    if (slot.key != key || slot.taken) continue;
    slot.taken = true;
    return slot.entry;
  }
  return std::nullopt;
}

std::optional<Entry> MapReader::Peek(std::string_view key) const {
  NoteKey(key);
  for (const Slot& slot : slots_) {
    if (slot.key == key && !slot.taken) return slot.entry;
  }
  return std::nullopt;
}

std::optional<Entry> MapReader::TakeRequired(std::string_view key) {
  std::optional<Entry> entry = Take(key);
  if (!entry) ReportMissing(key);
  return entry;
}

std::vector<Entry> MapReader::TakeRest() {
  std::vector<Entry> rest;
  for (Slot& slot : slots_) {
    if (!std::exchange(slot.taken, true)) rest.push_back(slot.entry);
  }
  return rest;
}

void MapReader::ReportUnknown() {
  for (const Entry& entry : TakeRest()) ReportUnknown(entry);
}

void MapReader::ReportUnknown(const Entry& entry) {
  const std::string key = entry.name.substr(prefix_.size());
  const std::string where = label_.empty() ? " at the top level" : " in " + label_;
  context_.Error(entry.key_mark, "unknown key " + Quote(key) + where + DidYouMean(key, asked_));
}

void MapReader::ReportMissing(std::string_view key, std::string_view alternative) {
  if (!is_map_) return;
  std::string keys = Quote(key);
  if (!alternative.empty()) keys += " or " + Quote(alternative);
  context_.Error(anchor_, "missing required key " + keys + (label_.empty() ? "" : " in " + label_));
}

}  // namespace leadsync::config
