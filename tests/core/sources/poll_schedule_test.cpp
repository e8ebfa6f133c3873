#include "core/sources/poll_schedule.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

void ExpectAround(Duration wait, Duration target) {
  EXPECT_GE(wait, target * 9 / 10);
  EXPECT_LE(wait, target * 11 / 10);
}

TEST(PollSchedule, PollsEveryPeriodWithJitter) {
  PollSchedule schedule(Duration{10'000}, PollSchedule::kMaxBackoff, 1);
  for (int i = 0; i < 50; ++i) ExpectAround(schedule.AfterSuccess(), Duration{10'000});
}

TEST(PollSchedule, WaitsLongerAfterEachFailureUpToTheCeilingAndRecovers) {
  PollSchedule schedule(Duration{1'000}, Duration{8'000}, 1);
  ExpectAround(schedule.AfterFailure(), Duration{2'000});
  ExpectAround(schedule.AfterFailure(), Duration{4'000});
  ExpectAround(schedule.AfterFailure(), Duration{8'000});
  for (int i = 0; i < 100; ++i) ExpectAround(schedule.AfterFailure(), Duration{8'000});
  EXPECT_EQ(schedule.failures(), 103);
  ExpectAround(schedule.AfterSuccess(), Duration{1'000});
  EXPECT_EQ(schedule.failures(), 0);
}

TEST(PollSchedule, CeilingIsNeverBelowThePeriod) {
  PollSchedule schedule(Duration{600'000}, PollSchedule::kMaxBackoff, 1);
  ExpectAround(schedule.AfterFailure(), Duration{600'000});
}

}  // namespace
}  // namespace leadsync
