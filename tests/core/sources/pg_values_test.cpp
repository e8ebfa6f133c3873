#include "core/sources/pg_values.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

constexpr unsigned kText = 25;
constexpr unsigned kNumeric = 1700;

std::string Value(PgType type, std::string_view text) {
  std::string error;
  std::optional<std::string> value = LeadSquaredValue(static_cast<unsigned>(type), text, &error);
  EXPECT_TRUE(value.has_value()) << error;
  return value.value_or("");
}

std::string Error(PgType type, std::string_view text) {
  std::string error;
  EXPECT_FALSE(LeadSquaredValue(static_cast<unsigned>(type), text, &error).has_value()) << text;
  return error;
}

TEST(PgValues, TimestampWithZoneIsConvertedToUtcWithoutFraction) {
  EXPECT_EQ(Value(PgType::kTimestampTz, "2024-03-01 04:30:00+00"), "2024-03-01 04:30:00");
  EXPECT_EQ(Value(PgType::kTimestampTz, "2024-03-01 10:00:00.999999+05:30"), "2024-03-01 04:30:00");
  EXPECT_EQ(Value(PgType::kTimestampTz, "2024-02-29 21:15:07-05"), "2024-03-01 02:15:07");
  EXPECT_EQ(Value(PgType::kTimestampTz, "1900-01-01 00:00:00+00:53:28"), "1899-12-31 23:06:32");
  EXPECT_EQ(Value(PgType::kTimestampTz, "2023-12-31 23:59:59.5-01"), "2024-01-01 00:59:59");
}

TEST(PgValues, TimestampWithoutZoneKeepsItsWallClockWithoutFraction) {
  EXPECT_EQ(Value(PgType::kTimestamp, "2024-03-01 10:00:00"), "2024-03-01 10:00:00");
  EXPECT_EQ(Value(PgType::kTimestamp, "2024-03-01 10:00:00.123456"), "2024-03-01 10:00:00");
}

TEST(PgValues, DatesBooleansAndEverythingElse) {
  EXPECT_EQ(Value(PgType::kDate, "2024-02-29"), "2024-02-29");
  EXPECT_EQ(Value(PgType::kBool, "t"), "true");
  EXPECT_EQ(Value(PgType::kBool, "f"), "false");
  std::string error;
  EXPECT_EQ(LeadSquaredValue(kNumeric, "12.50", &error), "12.50");
  EXPECT_EQ(LeadSquaredValue(kText, "  as written ", &error), "  as written ");
}

TEST(PgValues, DatesLeadSquaredCannotTakeAreErrorsThatQuoteTheValue) {
  EXPECT_NE(Error(PgType::kTimestampTz, "infinity").find("'infinity'"), std::string::npos);
  Error(PgType::kTimestamp, "-infinity");
  Error(PgType::kDate, "0044-03-15 BC");
  Error(PgType::kTimestampTz, "0044-03-15 10:00:00+00 BC");
  Error(PgType::kTimestamp, "10000-01-01 00:00:00");
  Error(PgType::kTimestampTz, "9999-12-31 23:00:00-05");  // past 9999 in UTC
  Error(PgType::kDate, "2023-02-29");
}

}  // namespace
}  // namespace leadsync
