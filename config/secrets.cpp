#include "config/secrets.hpp"

#include <filesystem>
#include <optional>
#include <utility>

#include "config/text_file.hpp"
#include "config/values.hpp"

namespace leadsync::config {
namespace {

bool IsBefore(const YAML::Mark& a, const YAML::Mark& b) {
  return std::pair(a.line, a.column) < std::pair(b.line, b.column);
}

std::optional<std::string> ReadSecretFile(LoadContext& context, const Entry& entry) {
  const std::optional<std::filesystem::path> path = ReadPath(context, entry);
  if (!path) return std::nullopt;
  TextFile file = ReadTextFile(*path);
  if (!file.content) {
    context.Error(entry.key_mark, entry.name + ": cannot read '" + path->string() + "': " + file.error);
    return std::nullopt;
  }
  std::string secret(StripOneNewline(*file.content));
  if (secret.empty()) {
    context.Error(entry.key_mark, entry.name + ": '" + path->string() + "' is empty");
    return std::nullopt;
  }
  return secret;
}

}  // namespace

void GetSecret(MapReader& map, std::string_view key, std::string& out) {
  const std::string file_key = std::string(key) + "_file";
  const std::optional<Entry> inline_entry = map.Take(key);
  const std::optional<Entry> file_entry = map.Take(file_key);
  LoadContext& context = map.Context();
  if (inline_entry && file_entry) {
    const bool file_later = IsBefore(inline_entry->key_mark, file_entry->key_mark);
    const Entry& later = file_later ? *file_entry : *inline_entry;
    context.Error(later.key_mark, "give either '" + std::string(key) + "' or '" + file_key + "', not both");
    return;
  }
  if (!inline_entry && !file_entry) map.ReportMissing(key, file_key);
  if (!context.ReadsSecrets()) return;
  std::optional<std::string> secret;
  if (inline_entry) secret = ReadString(context, *inline_entry);
  if (file_entry) secret = ReadSecretFile(context, *file_entry);
  if (secret) out = std::move(*secret);
}

}  // namespace leadsync::config
