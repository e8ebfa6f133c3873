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

}  // namespace
}  // namespace leadsync
