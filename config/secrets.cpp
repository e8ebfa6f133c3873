#include "config/secrets.hpp"

#include <sys/stat.h>

#include <array>
#include <cstdio>
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

// Why other accounts could read or replace a file of mode `permissions`.
std::string_view Exposure(unsigned permissions) {
  if ((permissions & S_IROTH) != 0) return "readable by other users";
  if ((permissions & S_IWOTH) != 0) return "writable by other users";
  if ((permissions & S_IWGRP) != 0) return "writable by its group";
  return "open to other users";
}

std::optional<std::string> ReadSecretFile(LoadContext& context, const Entry& entry) {
  const std::optional<std::filesystem::path> path = ReadPath(context, entry);
  if (!path) return std::nullopt;
  TextFile file = ReadTextFile(*path);
  if (!file.content) {
    context.Error(entry.key_mark, entry.name + ": cannot read '" + path->string() + "': " + file.error);
    return std::nullopt;
  }
  if (const std::optional<std::string> problem = CheckSecretFileMode(*path, file.permissions)) {
    context.Error(entry.key_mark, entry.name + ": " + *problem);
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

std::optional<std::string> CheckSecretFileMode(const std::filesystem::path& path, unsigned permissions) {
  if ((permissions & (S_IRWXO | S_IWGRP)) == 0) return std::nullopt;
  std::array<char, 16> mode{};
  std::snprintf(mode.data(), mode.size(), "%04o", permissions & 07777u);
  const std::string file = path.string();
  std::string out = "'" + file;
  out += "' is " + std::string(Exposure(permissions)) + " (mode " + mode.data() + "); chmod 0600 " + file +
         ", or chmod 0640 with group leadsync";
  return out;
}

}  // namespace leadsync::config
