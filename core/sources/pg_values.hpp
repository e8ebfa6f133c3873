#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadsync {

// The PostgreSQL type OIDs (pg_type.dat, fixed across versions) whose text
// LeadSquared wants in another form.
enum class PgType : unsigned {
  kBool = 16,
  kDate = 1082,
  kTimestamp = 1114,
  kTimestampTz = 1184,
};

// LeadSquared's text for one non-NULL column value, from the text PostgreSQL
// printed for it in a session with DateStyle ISO and TimeZone UTC:
//   timestamptz  converted to UTC, "YYYY-MM-DD HH:MM:SS" (fraction dropped),
//                whatever offset it was printed with;
//   timestamp    the same form, as stored (it has no zone: taken as UTC);
//   date         "YYYY-MM-DD";
//   boolean      "true" / "false";
//   anything else (integers, numeric, float, text, json...) as printed.
// nullopt, with `error` (when given) set, for a value LeadSquared cannot
// take as a date (infinity, a BC date, a year past 9999).
[[nodiscard]] std::optional<std::string> LeadSquaredValue(unsigned type, std::string_view text,
                                                          std::string* error = nullptr);

}  // namespace leadsync
