#include "core/mapping/conversion_check.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "core/mapping/time_conversion.hpp"

namespace leadsync {
namespace {

// What a directive reads, of what a date needs.
enum Reads : unsigned { kNothing = 0, kYear = 1, kMonth = 2, kDay = 4, kWholeDate = 7 };

struct Directive {
  std::string_view name;  // after the '%'
  unsigned reads = kNothing;
  bool offset = false;  // a UTC offset: meaningless for a date
};

// The directives CCTZ's parser reads the same whatever the locale (the
// daemon runs in the C locale, so month and day names are English).
constexpr std::array<Directive, 27> kDirectives{{
    {"E4Y", kYear},
    {"E*S"},
    {"E*z", kNothing, true},
    {"Ez", kNothing, true},
    {"Y", kYear},
    {"y", kYear},
    {"m", kMonth},
    {"b", kMonth},
    {"B", kMonth},
    {"h", kMonth},
    {"d", kDay},
    {"e", kDay},
    {"F", kWholeDate},
    {"D", kWholeDate},
    {"H"},
    {"I"},
    {"M"},
    {"S"},
    {"p"},
    {"T"},
    {"R"},
    {"a"},
    {"A"},
    {"z", kNothing, true},
    {"%"},
    {"n"},
    {"t"},
}};

std::optional<std::string> CheckFormat(std::string_view format, bool date_only) {
  unsigned reads = kNothing;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    const std::string_view rest = format.substr(i + 1);
    if (rest.empty()) return "format ends with a lone '%' (write %% for a percent sign)";
    const auto* directive =
        std::ranges::find_if(kDirectives, [rest](const Directive& d) { return rest.starts_with(d.name); });
    if (directive == kDirectives.end()) {
      return "unknown directive '%" + std::string(rest.substr(0, rest.starts_with('E') ? 2 : 1)) +
             "' in format";
    }
    if (directive->offset && date_only)
      return "'%" + std::string(directive->name) + "' has no meaning for a date";
    reads |= directive->reads;
    i += directive->name.size();
  }
  if ((reads & kYear) == 0) return "format reads no year (%Y, %y)";
  if ((reads & kMonth) == 0) return "format reads no month (%m, %b)";
  if ((reads & kDay) == 0) return "format reads no day (%d, %e)";
  return std::nullopt;
}

bool IsZoneNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '_' || c == '-' || c == '+';
}

}  // namespace

std::optional<std::string> CheckDateFormat(std::string_view format) { return CheckFormat(format, true); }

std::optional<std::string> CheckDateTimeFormat(std::string_view format) { return CheckFormat(format, false); }

std::optional<std::string> CheckTimeZone(const std::string& name) {
  // Names only: cctz would also read a path ("/etc/...") as a zone file.
  const bool plain = std::ranges::all_of(name, IsZoneNameChar) && !name.starts_with('/') &&
                     name.find("..") == std::string::npos;
  if (plain && LoadTimeZone(name)) return std::nullopt;
  return "unknown time zone '" + name + "' (a name from the tz database, such as Asia/Kolkata or UTC)";
}

std::optional<std::string> CheckCountry(std::string_view country) {
  const std::string_view digits = country.starts_with('+') ? country.substr(1) : std::string_view();
  int code = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
  if (digits.empty() || digits.size() > 3 || error != std::errc{} || end != digits.data() + digits.size()) {
    return "expected '+' and a country calling code, such as +91";
  }
  std::string region;
  i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetRegionCodeForCountryCode(code, &region);
  // "ZZ": no such code; "001": a code that is no country's (+800, +882...).
  if (region == "ZZ" || region == "001") return "'" + std::string(country) + "' is no country's calling code";
  return std::nullopt;
}

std::optional<std::string> CheckConversion(const Conversion& conversion) {
  switch (conversion.type) {
    case ValueType::kDate:
      return CheckDateFormat(conversion.format.empty() ? kDefaultDateFormat : conversion.format);
    case ValueType::kDateTime:
      if (auto problem =
              CheckDateTimeFormat(conversion.format.empty() ? kDefaultDateTimeFormat : conversion.format)) {
        return problem;
      }
      return CheckTimeZone(conversion.timezone);
    case ValueType::kPhone:
      return conversion.country.empty() ? std::nullopt : CheckCountry(conversion.country);
    case ValueType::kText:
    case ValueType::kNumber:
    case ValueType::kBoolean:
      break;
  }
  return std::nullopt;
}

}  // namespace leadsync
