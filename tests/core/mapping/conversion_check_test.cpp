#include "core/mapping/conversion_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadsync {
namespace {

// nullopt when the check passes; otherwise the problem.
void ExpectAccepted(const std::optional<std::string>& problem, std::string_view what) {
  EXPECT_FALSE(problem.has_value()) << what << ": " << problem.value_or("");
}

void ExpectRefused(const std::optional<std::string>& problem, std::string_view what, std::string_view says) {
  ASSERT_TRUE(problem.has_value()) << what << " was accepted";
  EXPECT_NE(problem->find(says), std::string::npos) << what << ": " << *problem;
}

TEST(CheckDateFormat, AcceptsFormatsThatReadAWholeDate) {
  for (const char* format : {"%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%e %b %Y", "%A, %d %B %Y", "%F", "%D",
                             "%E4Y%m%d", "%d/%m/%Y %H:%M", "%d.%m.%Y %I:%M %p", "%d%%%m%%%Y", "%h %d %Y"}) {
    ExpectAccepted(CheckDateFormat(format), format);
  }
}

TEST(CheckDateFormat, RefusesUnknownDirectivesAndMissingParts) {
  ExpectRefused(CheckDateFormat("%d/%m/%Q"), "%Q", "unknown directive '%Q'");
  ExpectRefused(CheckDateFormat("%d/%m/%Ex"), "%Ex", "unknown directive '%Ex'");
  ExpectRefused(CheckDateFormat("%d/%m/%Y%"), "a lone %", "lone '%'");
  ExpectRefused(CheckDateFormat("%d/%m"), "no year", "no year");
  ExpectRefused(CheckDateFormat("%d/%Y"), "no month", "no month");
  ExpectRefused(CheckDateFormat("%m/%Y"), "no day", "no day");
  ExpectRefused(CheckDateFormat("dd/mm/yyyy"), "no directive", "no year");
  ExpectRefused(CheckDateFormat("%d/%m/%Y %z"), "an offset", "no meaning for a date");
  ExpectRefused(CheckDateFormat("%s"), "epoch seconds", "unknown directive '%s'");
  ExpectRefused(CheckDateFormat("%d/%m/%%Y"), "%% then Y", "no year");
}

TEST(CheckDateTimeFormat, AcceptsOffsetsAndTimes) {
  for (const char* format :
       {"%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%E*S%Ez", "%F %T %z", "%D %R", "%d/%m/%Y"}) {
    ExpectAccepted(CheckDateTimeFormat(format), format);
  }
  ExpectRefused(CheckDateTimeFormat("%H:%M"), "a time alone", "no year");
}

TEST(CheckTimeZone, AcceptsTzDatabaseNamesOnly) {
  for (const char* zone : {"Asia/Kolkata", "America/New_York", "UTC", "Europe/London", ""}) {
    ExpectAccepted(CheckTimeZone(zone), zone);
  }
  ExpectRefused(CheckTimeZone("Asia/Atlantis"), "Asia/Atlantis", "unknown time zone 'Asia/Atlantis'");
  ExpectRefused(CheckTimeZone("/etc/passwd"), "a path", "unknown time zone");
  ExpectRefused(CheckTimeZone("../../etc/localtime"), "a relative path", "unknown time zone");
  ExpectRefused(CheckTimeZone("Asia/Kolkata "), "a trailing blank", "unknown time zone");
}

TEST(CheckCountry, AcceptsPlusAndACountrysCallingCode) {
  for (const char* country : {"+91", "+1", "+44", "+971"}) ExpectAccepted(CheckCountry(country), country);
  ExpectRefused(CheckCountry("91"), "no plus", "expected '+'");
  ExpectRefused(CheckCountry("IN"), "a region", "expected '+'");
  ExpectRefused(CheckCountry("+"), "a plus alone", "expected '+'");
  ExpectRefused(CheckCountry("+91 "), "a blank", "expected '+'");
  ExpectRefused(CheckCountry("+1234"), "four digits", "expected '+'");
  ExpectRefused(CheckCountry("+999"), "an unassigned code", "no country's calling code");
  ExpectRefused(CheckCountry("+800"), "a non-geographic code", "no country's calling code");
}

TEST(CheckConversion, ChecksWhatTheTypeUses) {
  ExpectAccepted(CheckConversion({ValueType::kDate, "", "", ""}), "date, default format");
  ExpectAccepted(CheckConversion({ValueType::kDateTime, "", "", ""}), "datetime, default format, UTC");
  ExpectAccepted(CheckConversion({ValueType::kPhone, "", "", ""}), "phone without a country");
  ExpectAccepted(CheckConversion({ValueType::kNumber, "", "", ""}), "number");
  ExpectRefused(CheckConversion({ValueType::kDate, "%d/%Y", "", ""}), "a date without month", "no month");
  ExpectRefused(CheckConversion({ValueType::kDateTime, "", "Mars/Olympus", ""}), "zone", "unknown time zone");
  ExpectRefused(CheckConversion({ValueType::kPhone, "", "", "91"}), "country", "expected '+'");
}

}  // namespace
}  // namespace leadsync
