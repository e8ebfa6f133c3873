#include "core/sources/tail_checkpoint.hpp"

#include <algorithm>
#include <charconv>

#include "core/sources/regular_file.hpp"

namespace leadsync {
namespace {

constexpr std::size_t kHashDigits = 16;

template <class Number>
bool ReadNumber(std::string_view text, Number& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// The next '|'-separated field of `text`, consumed.
std::string_view NextField(std::string_view& text) {
  const std::size_t bar = std::min(text.find('|'), text.size());
  const std::string_view field = text.substr(0, bar);
  text.remove_prefix(std::min(bar + 1, text.size()));
  return field;
}

}  // namespace

std::optional<Fingerprint> TakeFingerprint(int fd, std::uint64_t size) {
  const std::uint64_t length = std::min(size, Fingerprint::kMaxBytes);
  std::optional<std::string> hash = HashPrefix(fd, length, kHashDigits);
  if (!hash) return std::nullopt;
  return Fingerprint{length, *std::move(hash)};
}

bool Matches(int fd, const Fingerprint& fingerprint) {
  return HashPrefix(fd, fingerprint.length, kHashDigits) == fingerprint.hash;
}

std::string TailCheckpoint::Format() const {
  return std::to_string(file.length) + "|" + file.hash + "|" + std::to_string(position.offset) + "|" +
         std::to_string(position.line);
}

std::optional<TailCheckpoint> TailCheckpoint::Parse(std::string_view text) {
  TailCheckpoint checkpoint;
  const std::string_view length = NextField(text);
  const std::string_view hash = NextField(text);
  const std::string_view offset = NextField(text);
  const std::string_view line = NextField(text);
  const bool hex = hash.size() == kHashDigits && std::all_of(hash.begin(), hash.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!text.empty() || !hex || !ReadNumber(length, checkpoint.file.length) ||
      !ReadNumber(offset, checkpoint.position.offset) || !ReadNumber(line, checkpoint.position.line) ||
      checkpoint.file.length > Fingerprint::kMaxBytes) {
    return std::nullopt;
  }
  checkpoint.file.hash = std::string(hash);
  return checkpoint;
}

}  // namespace leadsync
