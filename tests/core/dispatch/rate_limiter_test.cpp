#include "core/dispatch/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/core/dispatch/server_model.hpp"

namespace leadsync {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

RateLimiterOptions Options(int requests, milliseconds per) {
  RateLimiterOptions o;
  o.requests = requests;
  o.per = per;
  o.margin = milliseconds(50);
  return o;
}

// Drives the limiter greedily for `span` and returns every start it allowed.
std::vector<TimePoint> Saturate(RateLimiter& limiter, ManualTimeSource& clock, milliseconds span) {
  std::vector<TimePoint> starts;
  const TimePoint end = clock.Now() + span;
  while (true) {
    const TimePoint next = limiter.NextStart(clock.Now());
    if (next >= end) break;
    clock.Set(next);
    limiter.RecordStart(next);
    starts.push_back(next);
  }
  return starts;
}

int MaxInAnyWindow(const std::vector<TimePoint>& starts, milliseconds window) {
  int best = 0;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    int n = 0;
    for (std::size_t j = i; j < starts.size() && starts[j] < starts[i] + window; ++j) ++n;
    best = std::max(best, n);
  }
  return best;
}

TEST(RateLimiter, NeverStartsMoreThanTheLimitInAnyWindow) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(25, milliseconds(5000)));
  const auto starts = Saturate(limiter, clock, milliseconds(60000));
  EXPECT_EQ(MaxInAnyWindow(starts, milliseconds(5000)), 25);
  // 12 windows of 5.05 s fit in a minute, each full.
  EXPECT_GE(starts.size(), 25u * 11);
}

TEST(RateLimiter, SpacesStartsEvenlyAcrossTheWindow) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(3, milliseconds(1000)));
  EXPECT_EQ(limiter.NextStart(clock.Now()), clock.Now()) << "the first call goes at once";
  const auto starts = Saturate(limiter, clock, milliseconds(3000));
  ASSERT_GE(starts.size(), 3u);
  // One window (1050 ms) over three calls: 350 ms apart, give or take the
  // tenth of a spacing the pacer lets a late start catch up.
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - 1], milliseconds(310)) << i;
    EXPECT_LE(starts[i] - starts[i - 1], milliseconds(390)) << i;
  }
}

TEST(RateLimiter, RestoredStartsBlockTheRestOfTheirWindow) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(2, milliseconds(5000)));
  const std::vector<TimePoint> before = {clock.Now() - milliseconds(4000), clock.Now() - milliseconds(3000)};
  limiter.Restore(before);
  EXPECT_EQ(limiter.NextStart(clock.Now()), before[0] + milliseconds(5050));
}

TEST(RateLimiter, RestampedStartCountsFromWhenTheCallLeft) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(1, milliseconds(1000)));
  const TimePoint reserved = clock.Now();
  limiter.RecordStart(reserved);
  limiter.Restamp(reserved, reserved + milliseconds(200));
  EXPECT_EQ(limiter.NextStart(clock.Now()), reserved + milliseconds(1250));
}

TEST(RateLimiter, RetryAfterBlocksEveryStart) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(20, milliseconds(5000)));
  limiter.OnRefused(clock.Now(), clock.Now(), std::nullopt, milliseconds(3000));
  EXPECT_EQ(limiter.NextStart(clock.Now()), clock.Now() + milliseconds(3000));
  EXPECT_EQ(limiter.EffectiveLimit(), 20) << "one refusal is not congestion";
}

TEST(RateLimiter, StatedLimitLowersTheLevelAtOnce) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(25, milliseconds(5000)));
  const RefusalEffect effect =
      limiter.OnRefused(clock.Now(), clock.Now(), StatedLimit{10, seconds(5)}, std::nullopt);
  EXPECT_TRUE(effect.learned_limit);
  EXPECT_TRUE(effect.lowered);
  EXPECT_EQ(limiter.EffectiveLimit(), 10);
  EXPECT_FALSE(
      limiter.OnRefused(clock.Now(), clock.Now(), StatedLimit{10, seconds(5)}, std::nullopt).learned_limit);
  // The stated limit is the ceiling from now on: probing never passes it.
  for (int i = 0; i < 100; ++i) {
    clock.Advance(seconds(10));
    limiter.OnAccepted(clock.Now());
  }
  EXPECT_EQ(limiter.EffectiveLimit(), 10);
}

TEST(RateLimiter, StatedLimitInAnotherWindowIsHonouredToo) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(25, milliseconds(5000)));
  (void)limiter.OnRefused(clock.Now(), clock.Now(), StatedLimit{2, seconds(1)}, std::nullopt);
  const auto starts = Saturate(limiter, clock, milliseconds(10000));
  EXPECT_LE(MaxInAnyWindow(starts, milliseconds(1000)), 2);
  EXPECT_EQ(limiter.EffectiveLimit(), 10);  // per 5 s
}

TEST(RateLimiter, NeverDropsBelowOneCall) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(2, milliseconds(1000)));
  for (int i = 0; i < 20; ++i) {
    (void)limiter.OnRefused(clock.Now(), clock.Now(), std::nullopt, std::nullopt);
    clock.Advance(milliseconds(300));
  }
  EXPECT_EQ(limiter.EffectiveLimit(), 1);
}

// The rule against modelled servers, over simulated minutes: the same
// figures bench/dispatch.sh measures against the real sandbox.
TEST(RateLimiterModel, CleanServerIsUsedFully) {
  const ModelResult r = RunModel({.account_calls = 25}, Options(25, milliseconds(5000)), seconds(300));
  EXPECT_EQ(r.refused, 0);
  EXPECT_GE(r.Utilization(25), 0.98);
}

TEST(RateLimiterModel, RandomRefusalsAreRetriedNotObeyed) {
  const ModelResult r =
      RunModel({.account_calls = 25, .random_refusal = 0.05}, Options(25, milliseconds(5000)), seconds(300));
  EXPECT_GE(r.Utilization(25), 0.85) << r.refused << " refusals";
}

TEST(RateLimiterModel, StatedLowerLimitCostsOnlyTheCallsInFlight) {
  for (const bool states : {true, false}) {
    const ModelResult r = RunModel({.account_calls = 10, .states_limit = states},
                                   Options(25, milliseconds(5000)), seconds(300), seconds(60));
    EXPECT_GE(r.Utilization(10), 0.90) << "states the limit: " << states;
    if (states) {
      EXPECT_LE(r.refused, 10);
    }
  }
}

TEST(RateLimiterModel, ForeignLoadLeavesItsShare) {
  const ModelResult r = RunModel({.account_calls = 25, .foreign_calls = 10}, Options(25, milliseconds(5000)),
                                 seconds(120), seconds(20));
  EXPECT_GE(r.Utilization(15), 0.85);
  EXPECT_LE(r.refused, 15);
}

TEST(RateLimiterModel, RecoversWithinAboutAMinuteWhenContentionEnds) {
  const ModelResult r = RunModel({.account_calls = 25, .foreign_calls = 10, .foreign_until = seconds(60)},
                                 Options(25, milliseconds(5000)), seconds(180), seconds(130));
  EXPECT_GE(r.Utilization(25), 0.95) << "the last 50 s run at the ceiling again";
}

}  // namespace
}  // namespace leadsync
