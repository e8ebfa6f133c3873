#pragma once

#include <optional>
#include <string>
#include <string_view>

// The value conversions a source's mapping can apply: pure functions from
// the text a source read to the text LeadSquared wants. The input is trimmed
// first; an empty input is never converted (the mapping passes it through).
// Thread-safe: no state but the read-only tz database and phone metadata.
namespace leadsync {

enum class ValueType { kText, kNumber, kBoolean, kDate, kDateTime, kPhone };

// "text", "number", "boolean", "date", "datetime", "phone".
[[nodiscard]] std::string_view ValueTypeName(ValueType type);

// How the values of one column or key are converted.
struct Conversion {
  ValueType type = ValueType::kText;
  std::string format;    // date, datetime: strptime-like; "" = kDefaultDateFormat / kDefaultDateTimeFormat
  std::string timezone;  // datetime: a tz database name; "" = UTC
  std::string country;   // phone: "+91", for numbers written without a country code; "" = none
  bool operator==(const Conversion&) const = default;
};

inline constexpr std::string_view kDefaultDateFormat = "%Y-%m-%d";
inline constexpr std::string_view kDefaultDateTimeFormat = "%Y-%m-%d %H:%M:%S";

// A converted value, or what is wrong with the text, worded to follow
// "'TEXT' is ": "not a number", "too short for a phone number".
struct Converted {
  std::string value;
  std::string problem;  // empty when converted
  [[nodiscard]] bool ok() const { return problem.empty(); }
};

// A plain decimal: an optional '-', digits, and a '.' with digits when the
// text has a fraction ("1,234.50" -> "1234.50", "+7" -> "7", "1.5e3" ->
// "1500", "007" -> "7"). Grouping commas are read when every group after the
// first has three digits (1,234,567) or the Indian grouping is used
// (12,34,567); a decimal comma ("1,5") is refused, not guessed.
[[nodiscard]] Converted ConvertNumber(std::string_view text);

// "true" or "false", from true/false, yes/no, y/n, t/f, on/off and any
// number equal to 1 or 0 ("1", "0", "1.0"), case-insensitive.
[[nodiscard]] Converted ConvertBoolean(std::string_view text);

}  // namespace leadsync
