#include "core/mapping/time_conversion.hpp"

#include <chrono>

namespace leadsync {
namespace {

using Instant = cctz::time_point<cctz::seconds>;

// LeadSquared stores dates from the year 1000; the bound also catches a
// two-digit year read with %Y ("24" is the year 24, not 2024).
constexpr cctz::year_t kFirstYear = 1000;
constexpr cctz::year_t kLastYear = 9999;

std::string_view TrimView(std::string_view text) {
  auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// Whether the format reads a UTC offset (%z, %Ez, %E*z).
bool ReadsOffset(std::string_view format) {
  for (std::size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] != '%') continue;
    const std::string_view rest = format.substr(i + 1);
    if (rest.starts_with("z") || rest.starts_with("Ez") || rest.starts_with("E*z")) return true;
    ++i;  // past the directive's letter, so that "%%z" is not taken for one
  }
  return false;
}

std::optional<Instant> ReadUtc(std::string_view text, const std::string& format) {
  Instant instant;
  if (!cctz::parse(format, std::string(TrimView(text)), cctz::utc_time_zone(), &instant)) return std::nullopt;
  return instant;
}

// The local time `text` names in `zone`. Read as UTC first, so that the
// choice for a skipped or repeated local time is made here, not left to the
// parser: the offset in force before the clock change, which moves a skipped
// time forward by the gap and gives a repeated one its earlier instant.
std::optional<Instant> ReadLocal(std::string_view text, const std::string& format,
                                 const cctz::time_zone& zone) {
  if (ReadsOffset(format)) {
    Instant instant;
    if (!cctz::parse(format, std::string(TrimView(text)), zone, &instant)) return std::nullopt;
    return instant;
  }
  const std::optional<Instant> wall = ReadUtc(text, format);
  if (!wall) return std::nullopt;
  return zone.lookup(cctz::convert(*wall, cctz::utc_time_zone())).pre;
}

std::optional<std::string> OutOfRange(const Instant& instant) {
  const cctz::year_t year = cctz::convert(instant, cctz::utc_time_zone()).year();
  if (year >= kFirstYear && year <= kLastYear) return std::nullopt;
  return "outside the years 1000 to 9999 (read as the year " + std::to_string(year) + ")";
}

std::string Quoted(std::string_view format) { return "'" + std::string(format) + "'"; }

}  // namespace

Converted ConvertDate(std::string_view text, std::string_view format) {
  const std::string form(format.empty() ? kDefaultDateFormat : format);
  const std::optional<Instant> instant = ReadUtc(text, form);
  if (!instant) return Converted{"", "not a date in the form " + Quoted(form)};
  if (std::optional<std::string> problem = OutOfRange(*instant)) return Converted{"", std::move(*problem)};
  return Converted{cctz::format("%Y-%m-%d", *instant, cctz::utc_time_zone()), ""};
}

Converted ConvertDateTime(std::string_view text, std::string_view format, const cctz::time_zone& zone) {
  const std::string form(format.empty() ? kDefaultDateTimeFormat : format);
  const std::optional<Instant> instant = ReadLocal(text, form, zone);
  if (!instant) return Converted{"", "not a date and time in the form " + Quoted(form)};
  if (std::optional<std::string> problem = OutOfRange(*instant)) return Converted{"", std::move(*problem)};
  return Converted{cctz::format("%Y-%m-%d %H:%M:%S", *instant, cctz::utc_time_zone()), ""};
}

std::optional<cctz::time_zone> LoadTimeZone(const std::string& name) {
  cctz::time_zone zone;
  if (!name.empty() && !cctz::load_time_zone(name, &zone)) return std::nullopt;
  return zone;  // a default time_zone is UTC
}

}  // namespace leadsync
