#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace leadsync::config {

// One problem found in a config file. `line` and `column` are 1-based; 0 when
// the problem has no place (a file that cannot be read).
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  // "FILE:LINE:COL: message", or "FILE: message" when about the whole file (line 0)
  [[nodiscard]] std::string ToString() const;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
[[nodiscard]] EnvLookup ProcessEnvironment();

struct LoadResult {
  std::optional<Config> config;       // set only when `errors` is empty
  std::vector<ConfigError> errors;    // every problem found, in file order
  std::vector<ConfigError> warnings;  // valid but probably not meant (an unknown attribute name)
};

// Whether secrets are read. Inspection commands (queue, dlq, history,
// enqueue) need no keys, and skip them so that they work from a shell where
// ${CREDENTIALS_DIRECTORY} or the key files are out of reach; the secret
// fields are then left empty.
enum class SecretHandling { kRead, kSkip };

// Whether the host is checked for what the sources need (a spool directory
// exists): by the commands that run them or judge whether they would run.
enum class HostCheck { kSkip, kCheck };

// Reads, interpolates (${NAME}), resolves *_file secrets and validates a
// config file. Never throws for bad input: all problems land in `errors`.
// Secret values never appear in an error message. With HostCheck::kCheck
// (`check`, `run` and a reload) it also checks what the sources need on this
// host: a spool directory that does not exist is an error at its `path`
// unless the source sets `create: true`.
[[nodiscard]] LoadResult LoadConfig(const std::filesystem::path& file,
                                    const EnvLookup& env = ProcessEnvironment(),
                                    SecretHandling secrets = SecretHandling::kRead,
                                    HostCheck host = HostCheck::kSkip);
[[nodiscard]] LoadResult LoadConfigFromString(const std::string& yaml, const std::string& file_name,
                                              const EnvLookup& env = ProcessEnvironment(),
                                              SecretHandling secrets = SecretHandling::kRead);

// Every key the loader looks for while reading `yaml`, whether `yaml` has it
// or not, as a path from the top level, in the order looked for:
// "shutdown_timeout", "leadsquared.rate_limit.per", "sources[2].cursor". The
// keys of a nested map are looked for only when `yaml` has that map, and a
// source type's keys only for the sources `yaml` lists; free-form maps
// (`fields`) have no keys of their own. Secrets are not read. This is the
// loader's key list as the code has it, for the documentation's drift test.
[[nodiscard]] std::vector<std::string> KeysLookedFor(const std::string& yaml);

// "250ms", "5s", "2m", "24h", "14d" -> milliseconds; nullopt when malformed.
[[nodiscard]] std::optional<Duration> ParseDuration(const std::string& text);
// "512", "64KiB", "1MiB", "10B" -> bytes; nullopt when malformed.
[[nodiscard]] std::optional<std::uint64_t> ParseByteSize(const std::string& text);

}  // namespace leadsync::config
