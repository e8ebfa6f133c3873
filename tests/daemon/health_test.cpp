#include "daemon/health.hpp"

#include <gtest/gtest.h>

namespace leadsync::daemon {
namespace {

using std::chrono::seconds;

TEST(Health, AStalledQueueThreadIsUnhealthyAndNotReady) {
  ManualTimeSource clock;
  Health health(clock);
  EXPECT_EQ(health.Unhealthy(), std::nullopt);
  clock.Advance(Health::kQueueStall - Duration{1});
  EXPECT_EQ(health.Unhealthy(), std::nullopt);
  clock.Advance(seconds(2));
  ASSERT_TRUE(health.Unhealthy());
  EXPECT_NE(health.Unhealthy()->find("queue thread"), std::string::npos);
  EXPECT_TRUE(health.NotReady(false));
  health.QueueAnswered();
  EXPECT_EQ(health.Unhealthy(), std::nullopt);
  EXPECT_EQ(health.NotReady(false), std::nullopt);
}

TEST(Health, ATaskDownIsNotReadyAndNotAlive) {
  ManualTimeSource clock;
  Health health(clock);
  health.SetTaskState("dispatcher", true);
  EXPECT_TRUE(health.Alive());
  health.SetTaskState("dispatcher", false);
  EXPECT_FALSE(health.Alive());
  ASSERT_TRUE(health.NotReady(false));
  EXPECT_NE(health.NotReady(false)->find("dispatcher"), std::string::npos);
  EXPECT_EQ(health.Unhealthy(), std::nullopt) << "the process itself still serves";
  health.SetTaskState("dispatcher", true);
  EXPECT_EQ(health.NotReady(false), std::nullopt);
  EXPECT_NE(health.NotReady(true)->find("paused"), std::string::npos);
}

TEST(Health, ASourceDownIsNotReadyButStillAlive) {
  ManualTimeSource clock;
  Health health(clock);
  health.SetTaskState("dispatcher", true);
  health.SetSourceState("hooks", true);
  EXPECT_EQ(health.NotReady(false), std::nullopt);
  health.SetSourceState("hooks", false);
  ASSERT_TRUE(health.NotReady(false));
  EXPECT_NE(health.NotReady(false)->find("source hooks is down"), std::string::npos);
  EXPECT_TRUE(health.Alive()) << "a source down does not stop the watchdog";
  health.SetSourceState("hooks", true);
  EXPECT_EQ(health.NotReady(false), std::nullopt);
}

TEST(Health, ForgottenSourcesNoLongerCount) {
  ManualTimeSource clock;
  Health health(clock);
  health.SetSourceState("hooks", false);
  ASSERT_TRUE(health.NotReady(false));
  health.ForgetSources();
  EXPECT_EQ(health.NotReady(false), std::nullopt);
}

}  // namespace
}  // namespace leadsync::daemon
