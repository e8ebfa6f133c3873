#include "core/dispatch/backoff.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesUpToTheMaximum) {
  Backoff backoff({milliseconds(1000), milliseconds(60000)}, 1);
  EXPECT_EQ(backoff.Ceiling(1), milliseconds(1000));
  EXPECT_EQ(backoff.Ceiling(2), milliseconds(2000));
  EXPECT_EQ(backoff.Ceiling(6), milliseconds(32000));
  EXPECT_EQ(backoff.Ceiling(7), milliseconds(60000));
  EXPECT_EQ(backoff.Ceiling(1000), milliseconds(60000));
}

TEST(Backoff, DelayIsFullJitterWithinTheCeiling) {
  Backoff backoff({milliseconds(100), milliseconds(10000)}, 42);
  for (int attempt = 1; attempt < 12; ++attempt) {
    milliseconds lowest{1'000'000};
    milliseconds highest{0};
    for (int i = 0; i < 400; ++i) {
      const milliseconds d = backoff.Delay(attempt);
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d, backoff.Ceiling(attempt));
      lowest = std::min(lowest, d);
      highest = std::max(highest, d);
    }
    // Full jitter spreads over the whole range, not just near the top.
    EXPECT_LT(lowest, backoff.Ceiling(attempt) / 4) << attempt;
    EXPECT_GT(highest, backoff.Ceiling(attempt) * 3 / 4) << attempt;
  }
}

TEST(Backoff, NeverShorterThanRetryAfter) {
  Backoff backoff({milliseconds(100), milliseconds(1000)}, 7);
  for (int i = 0; i < 100; ++i) EXPECT_GE(backoff.Delay(3, milliseconds(5000)), milliseconds(5000));
}

}  // namespace
}  // namespace leadsync
