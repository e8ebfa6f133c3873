#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/mapping/conversion.hpp"

// Checks of a conversion's settings, each returning what is wrong (nullopt
// when nothing is). config/ runs them while loading a file, so that a
// mapping the converters could not apply is refused at its line and column,
// by the same code that converts.
namespace leadsync {

// A strptime-like format for type date or datetime: every directive is one
// of those docs/configuration.md lists (year %Y %y %E4Y, month %m %b %B %h,
// day %d %e, both %F %D; time %H %I %M %S %E*S %p %T %R; weekday %a %A;
// offset %z %Ez %E*z, datetime only; %% %n %t), and together they read a
// year, a month and a day.
[[nodiscard]] std::optional<std::string> CheckDateFormat(std::string_view format);
[[nodiscard]] std::optional<std::string> CheckDateTimeFormat(std::string_view format);

// A name the system's tz database knows ("Asia/Kolkata"; "" is UTC).
[[nodiscard]] std::optional<std::string> CheckTimeZone(const std::string& name);

// "+" and a country calling code that belongs to a country ("+91", "+1").
[[nodiscard]] std::optional<std::string> CheckCountry(std::string_view country);

// The checks above that apply to the conversion's type.
[[nodiscard]] std::optional<std::string> CheckConversion(const Conversion& conversion);

}  // namespace leadsync
