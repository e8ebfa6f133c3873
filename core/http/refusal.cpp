#include "core/http/refusal.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <string>

#include "core/lead.hpp"

namespace leadsync {
namespace {

constexpr std::string_view kRateLimitException = "MXAPIRateLimitExceededException";
constexpr std::string_view kLimitPhrase = "exceeded the limit of ";
// A longer Retry-After is read as this: no answer stops delivery for longer,
// and waits stay far from overflowing time point arithmetic.
constexpr std::chrono::seconds kMaxRetryAfter = std::chrono::hours(24);

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads a positive decimal int at `at`, skipping leading spaces; advances
// `at`. A number past int's range is no number: it states nothing usable.
std::optional<int> NumberAt(std::string_view text, std::size_t& at) {
  while (at < text.size() && text[at] == ' ') ++at;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data() + at, text.data() + text.size(), value);
  if (ec != std::errc() || value <= 0) return std::nullopt;
  at = static_cast<std::size_t>(end - text.data());
  return value;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// IMF-fixdate, RFC 850 and asctime, the three forms RFC 9110 accepts.
std::optional<std::time_t> ParseHttpDate(std::string_view text) {
  static constexpr const char* kFormats[] = {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT",
                                             "%a %b %e %H:%M:%S %Y"};
  const std::string value(text);
  for (const char* format : kFormats) {
    std::tm tm{};
    const char* end = ::strptime(value.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') return ::timegm(&tm);
  }
  return std::nullopt;
}

}  // namespace

bool IsRateLimitRefusal(const ApiError& error) {
  return NamesEqual(error.exception_type, kRateLimitException) ||
         ParseStatedLimit(error.exception_message).has_value();
}

std::optional<StatedLimit> ParseStatedLimit(std::string_view message) {
  const std::string lower = Lower(message);
  auto at = lower.find(kLimitPhrase);
  if (at == std::string::npos) return std::nullopt;
  at += kLimitPhrase.size();
  const auto calls = NumberAt(lower, at);
  if (!calls || lower.compare(at, 4, " in ") != 0) return std::nullopt;
  at += 4;
  const auto seconds = NumberAt(lower, at);
  if (!seconds || lower.compare(at, 7, " second") != 0) return std::nullopt;
  return StatedLimit{*calls, std::chrono::seconds(*seconds)};
}

std::optional<Duration> ParseRetryAfter(std::string_view value, TimePoint now) {
  value = TrimSpaces(value);
  if (value.empty()) return std::nullopt;
  long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::min(std::chrono::seconds(seconds), kMaxRetryAfter);
  }
  const auto date = ParseHttpDate(value);
  if (!date) return std::nullopt;
  // In seconds first: a date centuries away has no place on WallClock
  // (nanoseconds since 1970 overflow past the year 2262).
  const std::time_t now_seconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  if (*date <= now_seconds) return Duration{0};
  if (*date - now_seconds > kMaxRetryAfter.count()) return kMaxRetryAfter;
  return TimePoint{std::chrono::seconds(*date)} - now;
}

}  // namespace leadsync
