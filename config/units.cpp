// ParseDuration and ParseByteSize (declared in config/loader.hpp).
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "config/loader.hpp"

namespace leadsync::config {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t factor;
};

constexpr std::int64_t kSecond = 1000;  // in milliseconds
constexpr std::int64_t kKibibyte = 1024;
constexpr std::int64_t kMebibyte = kKibibyte * 1024;

constexpr std::array<Unit, 5> kDurationUnits{{
    {"ms", 1},
    {"s", kSecond},
    {"m", kSecond * 60},
    {"h", kSecond * 60 * 60},
    {"d", kSecond * 60 * 60 * 24},
}};

constexpr std::array<Unit, 3> kByteUnits{{
    {"MiB", kMebibyte},
    {"KiB", kKibibyte},
    {"B", 1},
}};

// Reads the leading decimal digits of `text` into `value`; returns how many
// characters were used, 0 when there are none or the number overflows.
std::size_t ReadDigits(std::string_view text, std::uint64_t& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{}) return 0;
  return static_cast<std::size_t>(stop - text.data());
}

// `count` * `factor` when it fits in `limit`.
std::optional<std::uint64_t> Scale(std::uint64_t count, std::int64_t factor, std::uint64_t limit) {
  const auto unsigned_factor = static_cast<std::uint64_t>(factor);
  if (count > limit / unsigned_factor) return std::nullopt;
  return count * unsigned_factor;
}

template <std::size_t N>
std::optional<std::uint64_t> ParseWithUnits(std::string_view text, const std::array<Unit, N>& units,
                                            bool unit_required, std::uint64_t limit) {
  std::uint64_t count = 0;
  const std::size_t digits = ReadDigits(text, count);
  if (digits == 0) return std::nullopt;
  const std::string_view suffix = text.substr(digits);
  if (suffix.empty()) return unit_required ? std::nullopt : Scale(count, 1, limit);
  for (const Unit& unit : units) {
    if (suffix == unit.suffix) return Scale(count, unit.factor, limit);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Duration> ParseDuration(const std::string& text) {
  std::string_view rest = text;
  const bool negative = rest.starts_with('-');
  if (negative) rest.remove_prefix(1);
  constexpr auto kLimit = static_cast<std::uint64_t>(std::numeric_limits<Duration::rep>::max());
  const auto millis = ParseWithUnits(rest, kDurationUnits, /*unit_required=*/true, kLimit);
  if (!millis) return std::nullopt;
  const auto value = static_cast<Duration::rep>(*millis);
  return Duration(negative ? -value : value);
}

std::optional<std::uint64_t> ParseByteSize(const std::string& text) {
  return ParseWithUnits(text, kByteUnits, /*unit_required=*/false, std::numeric_limits<std::uint64_t>::max());
}

}  // namespace leadsync::config
