// The public entry points: read the file, parse YAML, walk the top level.
#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <optional>
#include <utility>

#include "config/sections.hpp"
#include "config/sources.hpp"
#include "config/text_file.hpp"
#include "config/values.hpp"
#include "config/yaml_walker.hpp"

namespace leadsync::config {
namespace {

// Relative paths in the file are relative to the file's own directory.
std::filesystem::path BaseDirectory(const std::string& file_name) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(file_name, error);
  return (error ? std::filesystem::path(file_name) : absolute).parent_path();
}

template <typename Section, typename Reader>
void ReadSection(MapReader& root, std::string_view key, Presence presence, Section& out, Reader read) {
  const std::optional<Entry> entry =
      presence == Presence::kRequired ? root.TakeRequired(key) : root.Take(key);
  if (entry) out = read(root.Context(), *entry);
}

Config ReadConfig(LoadContext& context, const YAML::Node& document) {
  MapReader root(context, Entry{"", document, document.Mark()}, "");
  Config config;
  ReadSection(root, "leadsquared", Presence::kRequired, config.leadsquared, ReadLeadSquared);
  ReadSection(root, "queue", Presence::kRequired, config.queue, ReadQueue);
  ReadSection(root, "sources", Presence::kRequired, config.sources, ReadSources);
  ReadSection(root, "metrics", Presence::kOptional, config.metrics, ReadMetrics);
  ReadSection(root, "log", Presence::kOptional, config.log, ReadLog);
  Get(root, "shutdown_timeout", config.shutdown_timeout, DurationRule::kNonNegative);
  root.ReportUnknown();
  return config;
}

LoadResult Load(const std::string& yaml, const std::string& file_name, const EnvLookup& env,
                SecretHandling secrets, bool check_host) {
  LoadContext context(file_name, BaseDirectory(file_name), env, secrets);
  if (check_host) context.CheckHost();
  Config config;
  try {
    config = ReadConfig(context, YAML::Load(yaml));
  } catch (const YAML::Exception& error) {
    // A syntax error; anything yaml-cpp throws while walking lands here too.
    context.Error(error.mark, error.msg);
  }
  config.file = file_name;
  LoadResult result;
  result.errors = context.TakeErrors();
  result.warnings = context.TakeWarnings();
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace

std::string ConfigError::ToString() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

LoadResult LoadConfigFromString(const std::string& yaml, const std::string& file_name, const EnvLookup& env,
                                SecretHandling secrets) {
  return Load(yaml, file_name, env, secrets, false);
}

std::vector<std::string> KeysLookedFor(const std::string& yaml) {
  const EnvLookup any_variable = [](const std::string&) -> std::optional<std::string> { return "x"; };
  LoadContext context("keys.yaml", {}, any_variable, SecretHandling::kSkip);
  std::vector<std::string> keys;
  context.SetKeyLog(&keys);
  try {
    (void)ReadConfig(context, YAML::Load(yaml));
  } catch (const YAML::Exception&) {
    // A broken document has the keys looked for before the break.
  }
  return keys;
}

LoadResult LoadConfig(const std::filesystem::path& file, const EnvLookup& env, SecretHandling secrets,
                      HostCheck host) {
  const TextFile text = ReadTextFile(file);
  if (!text.content) {
    LoadResult result;
    result.errors.push_back(ConfigError{file.string(), 0, 0, "cannot read: " + text.error});
    return result;
  }
  return Load(*text.content, file.string(), env, secrets, host == HostCheck::kCheck);
}

}  // namespace leadsync::config
