#include "core/dispatch/batch_timing.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using std::chrono::milliseconds;

class BatchTimingTest : public ::testing::Test {
 protected:
  ManualTimeSource clock_;
  const milliseconds linger_{500};
};

TEST_F(BatchTimingTest, FullBatchGoesAtOnce) {
  Readiness r{25, clock_.Now(), std::nullopt};
  EXPECT_TRUE(DecideBatchTiming(r, 25, linger_, clock_.Now()).send_now);
}

TEST_F(BatchTimingTest, PartialBatchWaitsForTheOldestRecordsLinger) {
  const TimePoint enqueued = clock_.Now();
  clock_.Advance(milliseconds(200));
  BatchTiming t = DecideBatchTiming({3, enqueued, std::nullopt}, 25, linger_, clock_.Now());
  EXPECT_FALSE(t.send_now);
  EXPECT_EQ(t.wake_at, enqueued + linger_);
  clock_.Advance(milliseconds(300));
  EXPECT_TRUE(DecideBatchTiming({3, enqueued, std::nullopt}, 25, linger_, clock_.Now()).send_now);
}

TEST_F(BatchTimingTest, WakesEarlierWhenABackedOffRecordFallsDue) {
  const TimePoint due = clock_.Now() + milliseconds(100);
  BatchTiming t = DecideBatchTiming({1, clock_.Now(), due}, 25, linger_, clock_.Now());
  EXPECT_FALSE(t.send_now);
  EXPECT_EQ(t.wake_at, due);
}

TEST_F(BatchTimingTest, NothingClaimableSleepsUntilTheNextDueRecordOrNewWork) {
  EXPECT_EQ(DecideBatchTiming({0, std::nullopt, std::nullopt}, 25, linger_, clock_.Now()).wake_at,
            std::nullopt);
  const TimePoint due = clock_.Now() + milliseconds(3000);
  EXPECT_EQ(DecideBatchTiming({0, std::nullopt, due}, 25, linger_, clock_.Now()).wake_at, due);
}

}  // namespace
}  // namespace leadsync
