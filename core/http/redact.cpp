#include "core/http/redact.hpp"

#include <optional>

namespace leadsync {
namespace {

std::optional<int> HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// How many bytes of `text` from `at` spell `wanted`: 1 as itself (or '+'
// for a space), 3 as %XX; 0 when they do not.
std::size_t Spelling(std::string_view text, std::size_t at, char wanted) {
  const char c = text[at];
  if (c == wanted || (c == '+' && wanted == ' ')) return 1;
  if (c != '%' || at + 2 >= text.size()) return 0;
  const auto high = HexValue(text[at + 1]);
  const auto low = HexValue(text[at + 2]);
  if (!high || !low) return 0;
  return static_cast<char>(*high * 16 + *low) == wanted ? 3 : 0;
}

// The length of `secret` spelled at `at` in `text`, or 0.
std::size_t MatchAt(std::string_view text, std::size_t at, std::string_view secret) {
  std::size_t end = at;
  for (const char wanted : secret) {
    if (end >= text.size()) return 0;
    const std::size_t step = Spelling(text, end, wanted);
    if (step == 0) return 0;
    end += step;
  }
  return end - at;
}

}  // namespace

void RedactSecret(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  constexpr std::string_view kMask = "[redacted]";
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = MatchAt(text, at, secret);
    if (length == 0) {
      ++at;
      continue;
    }
    out.append(text, copied, at - copied).append(kMask);
    at += length;
    copied = at;
  }
  if (copied == 0) return;
  out.append(text, copied);
  text = std::move(out);
}

}  // namespace leadsync
