#include "daemon/restart_settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace leadsync::daemon {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

TEST(RestartSettings, NamesEachChangedKeyWithTheNewValueAndTheOneInUse) {
  config::Config running;
  running.queue.path = "/var/lib/leadsync/queue.db";
  running.metrics.listen = "127.0.0.1:9100";
  config::Config next = running;
  EXPECT_THAT(DescribeRestartSettings(running, next), ElementsAre());

  next.metrics.listen = "0.0.0.0:9200";
  next.queue.history = std::chrono::hours(24 * 7);
  next.queue.dead_letter_retention = 90min;
  next.queue.path = "/srv/queue.db";
  next.leadsquared.batch_size = 10;  // applied at once: not listed
  EXPECT_THAT(
      DescribeRestartSettings(running, next),
      ElementsAre("queue.path changed to /srv/queue.db; still /var/lib/leadsync/queue.db until restart",
                  "queue.history changed to 7d; still 14d until restart",
                  "queue.dead_letter_retention changed to 90m; still 30d until restart",
                  "metrics.listen changed to 0.0.0.0:9200; still serving 127.0.0.1:9100 until restart"));
}

}  // namespace
}  // namespace leadsync::daemon
