#include "core/mapping/phone_conversion.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <charconv>
#include <string>

namespace leadsync {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's region for "+91", or "ZZ" (its "unknown").
std::string RegionOf(std::string_view country) {
  int code = 0;
  if (country.starts_with('+')) country.remove_prefix(1);
  const auto [end, error] = std::from_chars(country.data(), country.data() + country.size(), code);
  if (country.empty() || error != std::errc{} || end != country.data() + country.size()) return "ZZ";
  std::string region;
  PhoneNumberUtil::GetInstance()->GetRegionCodeForCountryCode(code, &region);
  return region;
}

std::string ParseProblem(PhoneNumberUtil::ErrorType error, std::string_view country) {
  switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return country.empty() ? "a phone number without a country code (+CC), and the mapping sets no country"
                             : "a phone number with an unknown country code";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "too short for a phone number";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "too long for a phone number";
    case PhoneNumberUtil::NOT_A_NUMBER:
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
  }
  return "not a phone number";
}

}  // namespace

Converted ConvertPhone(std::string_view text, std::string_view country) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  const PhoneNumberUtil::ErrorType error = util.Parse(std::string(text), RegionOf(country), &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) return Converted{"", ParseProblem(error, country)};
  if (!util.IsPossibleNumber(number)) {
    return Converted{"", "of a length no +" + std::to_string(number.country_code()) + " number has"};
  }
  std::string national;
  util.GetNationalSignificantNumber(number, &national);
  return Converted{"+" + std::to_string(number.country_code()) + "-" + national, ""};
}

}  // namespace leadsync
