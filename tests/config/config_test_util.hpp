#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

// Builders for small config documents whose line numbers tests can count on.
namespace leadsync::config::test_docs {

inline constexpr const char* kFileName = "/etc/leadsync/test.yaml";

// An environment holding exactly `variables`.
inline EnvLookup FakeEnv(std::map<std::string, std::string> variables = {}) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

// Each line of `lines` indented by `indent` spaces.
inline std::string Indent(std::string_view lines, int indent) {
  std::string out;
  std::size_t start = 0;
  while (start < lines.size()) {
    const std::size_t end = std::min(lines.find('\n', start), lines.size());
    out += std::string(static_cast<std::size_t>(indent), ' ');
    out += lines.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

inline std::string LeadSquaredHead() {
  return "leadsquared:\n"                             // 1
         "  api_host: https://api.leadsquared.com\n"  // 2
         "  access_key: ak\n"                         // 3
         "  secret_key: sk\n";                        // 4
}

inline std::string QueueAndSpool() {
  return "queue:\n"
         "  path: /var/lib/leadsync/queue.db\n"
         "sources:\n"
         "  - name: signups\n"
         "    type: spool\n"
         "    path: /var/spool/leadsync\n";
}

// A valid document of 10 lines; `extra` (top-level lines) starts on line 11.
inline std::string MinimalWith(std::string_view extra = {}) {
  return LeadSquaredHead() + QueueAndSpool() + std::string(extra);
}

// A valid document with `extra` inside leadsquared, starting on line 5,
// indented 2 (so "batch_size: abc" has its value at column 15).
inline std::string LeadSquaredWith(std::string_view extra) {
  return LeadSquaredHead() + Indent(extra, 2) + QueueAndSpool();
}

// A document whose only source has `keys` (indented 4) from line 9 on, after
// "  - name: NAME" on line 8.
inline std::string SourceWith(std::string_view keys, std::string_view name = "s") {
  return LeadSquaredHead() +
         "queue:\n"         // 5
         "  path: /q.db\n"  // 6
         "sources:\n"       // 7
         "  - name: " +
         std::string(name) + "\n" + Indent(keys, 4);
}

inline LoadResult Load(const std::string& yaml, const EnvLookup& env = FakeEnv()) {
  return LoadConfigFromString(yaml, kFileName, env);
}

// Each error as "LINE:COL: message" (the file name is always kFileName).
inline std::vector<std::string> Errors(const LoadResult& result) {
  std::vector<std::string> out;
  const std::string prefix = std::string(kFileName) + ":";
  for (const ConfigError& error : result.errors) {
    const std::string text = error.ToString();
    out.push_back(text.starts_with(prefix) ? text.substr(prefix.size()) : text);
  }
  return out;
}

}  // namespace leadsync::config::test_docs
