#include "core/dispatch/failure_log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace leadsync {
namespace {

using std::chrono::milliseconds;

// Counts the lines FailureLog writes, through a real spdlog sink.
class FailureLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }
  int Lines() const {
    const std::string text = out_.str();
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
  ManualTimeSource clock_;
};

TEST_F(FailureLogTest, LogsStartPeriodicSummaryAndEndNotEveryRetry) {
  FailureLog log("api", milliseconds(60000));
  for (int i = 0; i < 100; ++i) {
    log.Failed("HTTP 503", clock_.Now());
    clock_.Advance(milliseconds(1000));
  }
  // Start at 0 s, reports at 60 s; 100 failures.
  EXPECT_EQ(Lines(), 2);
  EXPECT_EQ(log.count(), 100u);
  log.Succeeded(clock_.Now());
  EXPECT_EQ(Lines(), 3);
  EXPECT_FALSE(log.failing());
  log.Succeeded(clock_.Now());
  EXPECT_EQ(Lines(), 3);
}

}  // namespace
}  // namespace leadsync
