#include "core/sources/spool_checkpoint.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/sources/regular_file.hpp"

namespace leadsync {
namespace {

constexpr std::size_t kHeadDigits = 16;
constexpr std::size_t kSha256Digits = 64;

// Splits off `count` '|'-separated fields from the right; the rest (which
// may hold '|' itself) is the name. Fields come back left to right.
std::optional<std::vector<std::string_view>> SplitRight(std::string_view text, std::size_t count,
                                                        std::string_view& name) {
  std::vector<std::string_view> fields(count);
  for (std::size_t i = count; i-- > 0;) {
    const std::size_t bar = text.rfind('|');
    if (bar == std::string_view::npos) return std::nullopt;
    fields[i] = text.substr(bar + 1);
    text = text.substr(0, bar);
  }
  if (text.empty()) return std::nullopt;
  name = text;
  return fields;
}

template <class Number>
bool ReadNumber(std::string_view text, Number& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool IsHex(std::string_view text, std::size_t digits) {
  return text.size() == digits && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string SpoolCheckpoint::Format() const {
  return file.name + "|" + std::to_string(file.size) + "|" + std::to_string(file.mtime_ns) + "|" + file.head +
         "|" + std::to_string(position.offset) + "|" + std::to_string(position.line);
}

std::optional<SpoolCheckpoint> SpoolCheckpoint::Parse(std::string_view text) {
  std::string_view name;
  const auto fields = SplitRight(text, 5, name);
  SpoolCheckpoint checkpoint;
  if (!fields || !IsHex((*fields)[2], kHeadDigits)) return std::nullopt;
  if (!ReadNumber((*fields)[0], checkpoint.file.size) ||
      !ReadNumber((*fields)[1], checkpoint.file.mtime_ns) ||
      !ReadNumber((*fields)[3], checkpoint.position.offset) ||
      !ReadNumber((*fields)[4], checkpoint.position.line)) {
    return std::nullopt;
  }
  checkpoint.file.name = std::string(name);
  checkpoint.file.head = std::string((*fields)[2]);
  return checkpoint;
}

std::optional<LegacySpoolCheckpoint> LegacySpoolCheckpoint::Parse(std::string_view text) {
  std::string_view name;
  const auto fields = SplitRight(text, 2, name);
  LegacySpoolCheckpoint checkpoint;
  if (!fields || !IsHex((*fields)[1], kSha256Digits) || !ReadNumber((*fields)[0], checkpoint.size)) {
    return std::nullopt;
  }
  checkpoint.name = std::string(name);
  checkpoint.sha256 = std::string((*fields)[1]);
  return checkpoint;
}

std::string CheckpointFileName(std::string_view text) {
  if (auto checkpoint = SpoolCheckpoint::Parse(text)) return checkpoint->file.name;
  if (auto legacy = LegacySpoolCheckpoint::Parse(text)) return legacy->name;
  return {};
}

std::optional<SpoolFileIdentity> IdentifySpoolFile(int fd, const std::string& name, std::uint64_t size,
                                                   std::int64_t mtime_ns) {
  std::optional<std::string> head =
      HashPrefix(fd, std::min(size, SpoolFileIdentity::kHeadBytes), kHeadDigits);
  if (!head) return std::nullopt;
  return SpoolFileIdentity{name, size, mtime_ns, *std::move(head)};
}

}  // namespace leadsync
