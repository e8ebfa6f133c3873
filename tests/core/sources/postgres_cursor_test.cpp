#include "core/sources/postgres_cursor.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

CursorValues Decode(std::string_view text, std::size_t columns) {
  std::string error;
  std::optional<CursorValues> values = DecodeCursor(text, columns, &error);
  EXPECT_TRUE(values.has_value()) << error;
  return values.value_or(CursorValues{});
}

TEST(PostgresCursor, OneColumnIsStoredAsItsOwnText) {
  EXPECT_EQ(EncodeCursor({"2024-05-01 10:00:00.25+00"}), "2024-05-01 10:00:00.25+00");
  EXPECT_EQ(Decode("[\"not json to a one-column cursor\"", 1),
            CursorValues{"[\"not json to a one-column cursor\""});
}

TEST(PostgresCursor, CompositeIsAJsonArrayThatRoundTrips) {
  const CursorValues values{"2024-05-01 10:00:00+00", "42", std::nullopt, "with \"quotes\""};
  const std::string text = EncodeCursor(values);
  EXPECT_EQ(text, R"(["2024-05-01 10:00:00+00","42",null,"with \"quotes\""])");
  EXPECT_EQ(Decode(text, 4), values);
}

TEST(PostgresCursor, PlainValueStartsACompositeCursorAtItsFirstColumn) {
  EXPECT_EQ(Decode("-infinity", 2), (CursorValues{"-infinity", std::nullopt}));
}

TEST(PostgresCursor, NumbersAreTakenAsTheirText) {
  EXPECT_EQ(Decode(R"(["-infinity", 0])", 2), (CursorValues{"-infinity", "0"}));
}

TEST(PostgresCursor, MalformedCompositePositionsAreErrors) {
  std::string error;
  EXPECT_FALSE(DecodeCursor(R"(["a"])", 2, &error));
  EXPECT_NE(error.find("2 columns"), std::string::npos) << error;
  EXPECT_FALSE(DecodeCursor(R"(["a", )", 2, &error));
  EXPECT_FALSE(DecodeCursor(R"(["a", {"b": 1}])", 2, &error));
}

}  // namespace
}  // namespace leadsync
