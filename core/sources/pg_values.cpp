#include "core/sources/pg_values.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace leadsync {
namespace {

namespace chrono = std::chrono;

// Reads exactly `digits` decimal digits.
bool ReadNumber(std::string_view& text, std::size_t digits, int& out) {
  if (text.size() < digits) return false;
  const char* end = text.data() + digits;
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc{} || ptr != end) return false;
  text.remove_prefix(digits);
  return true;
}

bool Expect(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

std::optional<chrono::sys_days> ReadDate(std::string_view& text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadNumber(text, 4, year) || !Expect(text, '-') || !ReadNumber(text, 2, month) || !Expect(text, '-') ||
      !ReadNumber(text, 2, day)) {
    return std::nullopt;
  }
  const chrono::year_month_day date{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                                    chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return chrono::sys_days{date};
}

// " HH:MM:SS[.ffffff]"; the fraction is dropped.
std::optional<chrono::seconds> ReadTime(std::string_view& text) {
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  if (!Expect(text, ' ') || !ReadNumber(text, 2, hours) || !Expect(text, ':') ||
      !ReadNumber(text, 2, minutes) || !Expect(text, ':') || !ReadNumber(text, 2, seconds)) {
    return std::nullopt;
  }
  if (Expect(text, '.')) {
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') text.remove_prefix(1);
  }
  return chrono::hours{hours} + chrono::minutes{minutes} + chrono::seconds{seconds};
}

// "+HH", "+HH:MM" or "+HH:MM:SS" (historic zones print seconds).
std::optional<chrono::seconds> ReadOffset(std::string_view& text) {
  if (text.empty() || (text.front() != '+' && text.front() != '-')) return std::nullopt;
  const int sign = text.front() == '-' ? -1 : 1;
  text.remove_prefix(1);
  int part = 0;
  if (!ReadNumber(text, 2, part)) return std::nullopt;
  chrono::seconds offset = chrono::hours{part};
  if (Expect(text, ':')) {
    if (!ReadNumber(text, 2, part)) return std::nullopt;
    offset += chrono::minutes{part};
    if (Expect(text, ':')) {
      if (!ReadNumber(text, 2, part)) return std::nullopt;
      offset += chrono::seconds{part};
    }
  }
  return sign * offset;
}

std::optional<std::string> FormatUtc(chrono::sys_seconds t) {
  const chrono::sys_days day = chrono::floor<chrono::days>(t);
  const chrono::year_month_day date{day};
  if (date.year() < chrono::year{1} || date.year() > chrono::year{9999}) return std::nullopt;
  const chrono::hh_mm_ss time{t - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::optional<std::string> Date(std::string_view text) {
  std::string_view rest = text;
  if (!ReadDate(rest) || !rest.empty()) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> Timestamp(std::string_view text, bool with_zone) {
  const std::optional<chrono::sys_days> day = ReadDate(text);
  const std::optional<chrono::seconds> time = day ? ReadTime(text) : std::nullopt;
  if (!time) return std::nullopt;
  chrono::sys_seconds t = *day + *time;
  if (with_zone) {
    const std::optional<chrono::seconds> offset = ReadOffset(text);
    if (!offset) return std::nullopt;
    t -= *offset;
  }
  if (!text.empty()) return std::nullopt;  // " BC", or a form this code does not know
  return FormatUtc(t);
}

}  // namespace

std::optional<std::string> LeadSquaredValue(unsigned type, std::string_view text, std::string* error) {
  std::optional<std::string> out;
  switch (static_cast<PgType>(type)) {
    case PgType::kBool:
      return std::string(text == "t" ? "true" : "false");
    case PgType::kDate:
      out = Date(text);
      break;
    case PgType::kTimestamp:
      out = Timestamp(text, false);
      break;
    case PgType::kTimestampTz:
      out = Timestamp(text, true);
      break;
    default:
      return std::string(text);
  }
  if (!out && error)
    *error = "'" + std::string(text) + "' is not a date LeadSquared accepts (years 1 to 9999)";
  return out;
}

}  // namespace leadsync
