#include "core/http/refusal.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using std::chrono::seconds;

TEST(StatedLimit, ReadsCallsAndSecondsFromTheMessage) {
  EXPECT_EQ(ParseStatedLimit("API calls exceeded the limit of 25 in 5 second(s)"),
            (StatedLimit{25, seconds(5)}));
  EXPECT_EQ(ParseStatedLimit("api calls EXCEEDED the limit of 2 in 1 second"), (StatedLimit{2, seconds(1)}));
  EXPECT_EQ(ParseStatedLimit("API calls exceeded the limit of 300 in 60 seconds."),
            (StatedLimit{300, seconds(60)}));
}

TEST(StatedLimit, IsAbsentWhenTheMessageDoesNotStateOne) {
  EXPECT_EQ(ParseStatedLimit(""), std::nullopt);
  EXPECT_EQ(ParseStatedLimit("Too many requests"), std::nullopt);
  EXPECT_EQ(ParseStatedLimit("exceeded the limit of 0 in 5 second(s)"), std::nullopt);
  EXPECT_EQ(ParseStatedLimit("exceeded the limit of 25 per 5 second(s)"), std::nullopt);
  EXPECT_EQ(ParseStatedLimit("exceeded the limit of 25 in 5 minutes"), std::nullopt);
}

// Found beside the Retry-After finding below: numbers past int's range were cut
// to int (a limit of 4294967297 calls read as 1), and a period of more than
// about 10^16 seconds overflowed in the conversion to milliseconds.
TEST(StatedLimit, IsAbsentWhenItsNumbersAreOutOfRange) {
  EXPECT_EQ(ParseStatedLimit("exceeded the limit of 4294967297 in 5 second(s)"), std::nullopt);
  EXPECT_EQ(ParseStatedLimit("exceeded the limit of 25 in 99999999999999999 second(s)"), std::nullopt);
  EXPECT_EQ(ParseStatedLimit("exceeded the limit of 2147483647 in 2147483647 second(s)"),
            (StatedLimit{2147483647, seconds(2147483647)}));
}

TEST(RateLimitRefusal, IsTheExceptionOrTheMessage) {
  EXPECT_TRUE(IsRateLimitRefusal({"Error", "MXAPIRateLimitExceededException", ""}));
  EXPECT_TRUE(IsRateLimitRefusal({"Error", "", "API calls exceeded the limit of 25 in 5 second(s)"}));
  EXPECT_FALSE(IsRateLimitRefusal({"Error", "MXDuplicateEntryException", "duplicate"}));
  EXPECT_FALSE(IsRateLimitRefusal({"Error", "", ""}));
}

TEST(RetryAfter, TakesSecondsAndHttpDates) {
  const TimePoint now = FromUnixMillis(784'111'777'000);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(ParseRetryAfter("120", now), seconds(120));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:40 GMT", now), seconds(3));
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:41 GMT", now), seconds(4));
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:42 1994", now), seconds(5));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now), Duration{0});
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("tomorrow", now), std::nullopt);
}

// Found by tests/fuzz/api_answer_fuzzer: a date past the year 2262 overflowed
// WallClock's nanoseconds (undefined behaviour; a garbage wait in practice),
// and delta-seconds past about 10^16 overflowed in milliseconds. A wait is
// at most a day now, so that a wrong header cannot stop delivery for years.
TEST(RetryAfter, IsAtMostADayHoweverFarTheAnswerSays) {
  const TimePoint now = FromUnixMillis(784'111'777'000);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 3988 08:49:40 GMT", now), std::chrono::hours(24));
  EXPECT_EQ(ParseRetryAfter("Mon, 07 Nov 1994 08:49:36 GMT", now), std::chrono::hours(24) - seconds(1));
  EXPECT_EQ(ParseRetryAfter("86401", now), std::chrono::hours(24));
  EXPECT_EQ(ParseRetryAfter("9223372036854775807", now), std::chrono::hours(24));
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", now), std::nullopt) << "past long: unreadable";
}

}  // namespace
}  // namespace leadsync
