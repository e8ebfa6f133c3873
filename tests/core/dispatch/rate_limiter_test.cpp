#include "core/dispatch/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

namespace leadsync {
namespace {

using std::chrono::milliseconds;

RateLimiterOptions Options(int requests, milliseconds per) {
  RateLimiterOptions o;
  o.requests = requests;
  o.per = per;
  o.margin = milliseconds(50);
  o.increase_after = milliseconds(30000);
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

TEST(RateLimiter, FirstBurstStartsImmediately) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(3, milliseconds(1000)));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.NextStart(clock.Now()), clock.Now());
    limiter.RecordStart(clock.Now());
  }
  EXPECT_EQ(limiter.NextStart(clock.Now()), clock.Now() + milliseconds(1050));
}

TEST(RateLimiter, RestoredStartsBlockTheRestOfTheirWindow) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(2, milliseconds(5000)));
  const std::vector<TimePoint> before = {clock.Now() - milliseconds(4000), clock.Now() - milliseconds(1000)};
  limiter.Restore(before);
  EXPECT_EQ(limiter.NextStart(clock.Now()), before[0] + milliseconds(5050));
}

TEST(RateLimiter, ThrottleHalvesTheLimitAndHonoursRetryAfter) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(20, milliseconds(5000)));
  limiter.OnThrottled(clock.Now(), milliseconds(3000));
  EXPECT_EQ(limiter.EffectiveLimit(), 10);
  EXPECT_EQ(limiter.NextStart(clock.Now()), clock.Now() + milliseconds(3000));
}

TEST(RateLimiter, ManyRefusalsInOneWindowDecreaseOnce) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(20, milliseconds(5000)));
  limiter.OnThrottled(clock.Now(), std::nullopt);
  clock.Advance(milliseconds(100));
  limiter.OnThrottled(clock.Now(), std::nullopt);
  EXPECT_EQ(limiter.EffectiveLimit(), 10);
  clock.Advance(milliseconds(6000));
  limiter.OnThrottled(clock.Now(), std::nullopt);
  EXPECT_EQ(limiter.EffectiveLimit(), 5);
}

TEST(RateLimiter, ProbesBackUpToTheCeilingAfterQuietPeriods) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(4, milliseconds(5000)));
  limiter.OnThrottled(clock.Now(), std::nullopt);
  ASSERT_EQ(limiter.EffectiveLimit(), 2);
  clock.Advance(milliseconds(29999));
  limiter.OnAccepted(clock.Now(), clock.Now());
  EXPECT_EQ(limiter.EffectiveLimit(), 2);
  for (int i = 0; i < 5; ++i) {
    clock.Advance(milliseconds(30000));
    limiter.OnAccepted(clock.Now(), clock.Now());
  }
  EXPECT_EQ(limiter.EffectiveLimit(), 4);
}

TEST(RateLimiter, ThrottleSettlesOnWhatTheServerAcceptedInTheWindow) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(25, milliseconds(5000)));
  for (int i = 0; i < 10; ++i) {
    limiter.OnAccepted(clock.Now(), clock.Now() + milliseconds(300));
    clock.Advance(milliseconds(10));
  }
  limiter.OnThrottled(clock.Now(), std::nullopt);
  EXPECT_EQ(limiter.EffectiveLimit(), 10);
}

TEST(RateLimiter, ServerAtALowerLimitCostsOneRefusalPerProbe) {
  // A server taking 10 calls in any 5 s; the limiter starts at 25.
  ManualTimeSource clock;
  RateLimiter limiter(Options(25, milliseconds(5000)));
  std::deque<TimePoint> server;
  int refused = 0;
  int accepted = 0;
  const TimePoint end = clock.Now() + milliseconds(600000);
  while (clock.Now() < end) {
    clock.Set(limiter.NextStart(clock.Now()));
    limiter.RecordStart(clock.Now());
    while (!server.empty() && server.front() + milliseconds(5000) <= clock.Now()) server.pop_front();
    if (server.size() >= 10) {
      ++refused;
      limiter.OnThrottled(clock.Now(), std::nullopt);
    } else {
      server.push_back(clock.Now());
      ++accepted;
      limiter.OnAccepted(clock.Now(), clock.Now());
    }
  }
  // Ten minutes at 10 calls per 5 s is 1200 calls; probing costs one refusal
  // (and the window it blocks) every increase_after.
  EXPECT_GE(accepted, 1200 * 9 / 10);
  EXPECT_LE(refused, 15 + 600 / 30);
}

TEST(RateLimiter, RestampedStartCountsFromWhenTheCallLeft) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(1, milliseconds(1000)));
  const TimePoint reserved = clock.Now();
  limiter.RecordStart(reserved);
  limiter.Restamp(reserved, reserved + milliseconds(200));
  EXPECT_EQ(limiter.NextStart(clock.Now()), reserved + milliseconds(1250));
}

TEST(RateLimiter, NeverDropsBelowOneCall) {
  ManualTimeSource clock;
  RateLimiter limiter(Options(2, milliseconds(1000)));
  for (int i = 0; i < 5; ++i) {
    limiter.OnThrottled(clock.Now(), std::nullopt);
    clock.Advance(milliseconds(2000));
  }
  EXPECT_EQ(limiter.EffectiveLimit(), 1);
}

}  // namespace
}  // namespace leadsync
