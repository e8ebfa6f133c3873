#include "core/mapping/time_conversion.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadsync {
namespace {

struct Case {
  std::string_view text;
  std::string_view format;
  std::string_view expected;  // empty: refused
};

cctz::time_zone Zone(const std::string& name) {
  const std::optional<cctz::time_zone> zone = LoadTimeZone(name);
  EXPECT_TRUE(zone.has_value()) << name << " is not in the tz database (is tzdata installed?)";
  return zone.value_or(cctz::utc_time_zone());
}

void ExpectDates(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const Converted converted = ConvertDate(c.text, c.format);
    if (c.expected.empty()) {
      EXPECT_FALSE(converted.ok()) << "'" << c.text << "' with '" << c.format << "' gave " << converted.value;
    } else {
      EXPECT_EQ(converted.value, c.expected)
          << "'" << c.text << "' with '" << c.format << "': " << converted.problem;
    }
  }
}

void ExpectDateTimes(const std::string& zone_name, const std::vector<Case>& cases) {
  const cctz::time_zone zone = Zone(zone_name);
  for (const Case& c : cases) {
    const Converted converted = ConvertDateTime(c.text, c.format, zone);
    if (c.expected.empty()) {
      EXPECT_FALSE(converted.ok()) << zone_name << ": '" << c.text << "' gave " << converted.value;
    } else {
      EXPECT_EQ(converted.value, c.expected) << zone_name << ": '" << c.text << "': " << converted.problem;
    }
  }
}

TEST(ConvertDate, ReadsWithTheFormatAndWritesIsoDates) {
  ExpectDates({
      {"2024-03-05", "", "2024-03-05"},
      {" 2024-03-05 ", "", "2024-03-05"},
      {"05/03/2024", "%d/%m/%Y", "2024-03-05"},
      {"5/3/2024", "%d/%m/%Y", "2024-03-05"},
      {"03/05/2024", "%m/%d/%Y", "2024-03-05"},
      {"5 Mar 2024", "%e %b %Y", "2024-03-05"},
      {"Tuesday, 05 March 2024", "%A, %d %B %Y", "2024-03-05"},
      {"20240305", "%E4Y%m%d", "2024-03-05"},
      {"05/03/2024 23:59", "%d/%m/%Y %H:%M", "2024-03-05"},  // the time is read, not kept
      {"29/02/2024", "%d/%m/%Y", "2024-02-29"},
  });
}

TEST(ConvertDate, ReadsTwoDigitYearsAsPosixDoes1969To2068) {
  ExpectDates({
      {"01/01/00", "%d/%m/%y", "2000-01-01"},
      {"31/12/68", "%d/%m/%y", "2068-12-31"},
      {"01/01/69", "%d/%m/%y", "1969-01-01"},
      {"15/08/99", "%d/%m/%y", "1999-08-15"},
  });
}

TEST(ConvertDate, RefusesDatesThatDoNotExistOrDoNotFitTheFormat) {
  ExpectDates({
      {"31/02/2024", "%d/%m/%Y", ""},
      {"29/02/2023", "%d/%m/%Y", ""},
      {"32/01/2024", "%d/%m/%Y", ""},
      {"05/13/2024", "%d/%m/%Y", ""},
      {"2024-03-05", "%d/%m/%Y", ""},
      {"05/03/2024 extra", "%d/%m/%Y", ""},
      {"yesterday", "", ""},
      {"05/03/24", "%d/%m/%Y", ""},     // the year 24: a two-digit year read with %Y
      {"05/03/10000", "%d/%m/%Y", ""},  // past 9999
  });
  EXPECT_EQ(ConvertDate("5.3.2024", "%d/%m/%Y").problem, "not a date in the form '%d/%m/%Y'");
  EXPECT_NE(ConvertDate("05/03/24", "%d/%m/%Y").problem.find("outside the years 1000 to 9999"),
            std::string::npos);
}

TEST(ConvertDateTime, ConvertsALocalTimeToUtc) {
  ExpectDateTimes("Asia/Kolkata",
                  {
                      {"05/03/2024 10:15", "%d/%m/%Y %H:%M", "2024-03-05 04:45:00"},
                      {"01/01/2024 03:00", "%d/%m/%Y %H:%M", "2023-12-31 21:30:00"},
                      {"2024-03-05 10:15:30", "", "2024-03-05 04:45:30"},
                      {"05/03/2024", "%d/%m/%Y", "2024-03-04 18:30:00"},
                      {"05 Mar 2024 10:15 PM", "%d %b %Y %I:%M %p", "2024-03-05 16:45:00"},
                      {"2024-03-05 10:15:30.999", "%Y-%m-%d %H:%M:%E*S", "2024-03-05 04:45:30"},
                  });
  ExpectDateTimes("UTC", {{"2024-03-05 10:15:30", "", "2024-03-05 10:15:30"}});
  ExpectDateTimes("", {{"2024-03-05 10:15:30", "", "2024-03-05 10:15:30"}});
}

TEST(ConvertDateTime, AnOffsetInTheTextOverridesTheZone) {
  ExpectDateTimes("America/New_York",
                  {
                      {"2024-03-05T10:15:00+05:30", "%Y-%m-%dT%H:%M:%S%Ez", "2024-03-05 04:45:00"},
                      {"2024-03-05 10:15:00 -0800", "%Y-%m-%d %H:%M:%S %z", "2024-03-05 18:15:00"},
                  });
}

// New York springs forward at 02:00 on 10 March 2024 (02:00-02:59 never
// happen) and falls back at 02:00 on 3 November 2024 (01:00-01:59 happen twice).
TEST(ConvertDateTime, ASkippedLocalTimeMovesForwardByTheGap) {
  ExpectDateTimes("America/New_York", {
                                          {"2024-03-10 01:59:59", "", "2024-03-10 06:59:59"},  // EST
                                          {"2024-03-10 02:00:00", "", "2024-03-10 07:00:00"},  // = 03:00 EDT
                                          {"2024-03-10 02:30:00", "", "2024-03-10 07:30:00"},  // = 03:30 EDT
                                          {"2024-03-10 03:00:00", "", "2024-03-10 07:00:00"},  // EDT
                                      });
  // London skips 01:00-01:59 on 31 March 2024.
  ExpectDateTimes("Europe/London", {{"2024-03-31 01:30:00", "", "2024-03-31 01:30:00"}});  // = 02:30 BST
}

TEST(ConvertDateTime, ARepeatedLocalTimeIsTheEarlierInstant) {
  ExpectDateTimes("America/New_York",
                  {
                      {"2024-11-03 00:59:59", "", "2024-11-03 04:59:59"},  // EDT
                      {"2024-11-03 01:30:00", "", "2024-11-03 05:30:00"},  // EDT, not 06:30
                      {"2024-11-03 02:00:00", "", "2024-11-03 07:00:00"},  // EST
                  });
  ExpectDateTimes("Europe/London", {{"2024-10-27 01:30:00", "", "2024-10-27 00:30:00"}});  // BST, not GMT
}

TEST(ConvertDateTime, RefusesWhatTheFormatDoesNotRead) {
  ExpectDateTimes("Asia/Kolkata", {
                                      {"2024-03-05", "", ""},
                                      {"05/03/2024 25:00", "%d/%m/%Y %H:%M", ""},
                                      {"05/03/2024 10:60", "%d/%m/%Y %H:%M", ""},
                                      {"31/04/2024 10:00", "%d/%m/%Y %H:%M", ""},
                                      {"soon", "%d/%m/%Y %H:%M", ""},
                                      {"01/01/0999 10:00", "%d/%m/%Y %H:%M", ""},
                                  });
  EXPECT_EQ(ConvertDateTime("x", "%d/%m/%Y %H:%M", cctz::utc_time_zone()).problem,
            "not a date and time in the form '%d/%m/%Y %H:%M'");
}

TEST(LoadTimeZone, KnowsTheTzDatabaseAndNothingElse) {
  EXPECT_TRUE(LoadTimeZone("Asia/Kolkata").has_value());
  EXPECT_TRUE(LoadTimeZone("UTC").has_value());
  EXPECT_TRUE(LoadTimeZone("").has_value());
  EXPECT_FALSE(LoadTimeZone("Asia/Atlantis").has_value());
  EXPECT_FALSE(LoadTimeZone("IST+5:30").has_value());
}

}  // namespace
}  // namespace leadsync
