#pragma once

#include <cctz/time_zone.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/mapping/conversion.hpp"

// Dates and times, read with a strptime-like format and written the way
// LeadSquared's API takes them. Time zones come from the system's tz database
// (/usr/share/zoneinfo) through CCTZ. Pure and thread-safe.
namespace leadsync {

// "YYYY-MM-DD", from `text` read with `format` (kDefaultDateFormat when
// empty). A two-digit year (%y) is 1969 to 2068, as POSIX strptime reads it.
[[nodiscard]] Converted ConvertDate(std::string_view text, std::string_view format);

// "YYYY-MM-DD HH:MM:SS" in UTC, from `text` read with `format`
// (kDefaultDateTimeFormat when empty) as a local time in `zone`; an offset
// the format reads (%z, %Ez) takes precedence over the zone. A local time
// that a clock change skips (a daylight-saving gap) moves forward by the
// gap's length; one that it repeats (the overlap) is the earlier instant.
// Both are read with the offset in force before the change. Fractions of a
// second are dropped; years outside 1 to 9999 are refused.
[[nodiscard]] Converted ConvertDateTime(std::string_view text, std::string_view format,
                                        const cctz::time_zone& zone);

// The zone named `name` ("" = UTC); nullopt when the tz database has none.
[[nodiscard]] std::optional<cctz::time_zone> LoadTimeZone(const std::string& name);

}  // namespace leadsync
