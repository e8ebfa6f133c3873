#include "daemon/activity_report.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <sstream>
#include <utility>

#include "tests/support/manual_clock.hpp"

namespace leadsync::daemon {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// The default logger's lines, as "LEVEL MESSAGE", while it lives.
class CapturedLog final {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto logger =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out_));
    logger->set_pattern("%l %v");
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  // The lines written since the last call.
  std::string Take() {
    const std::string all = out_.str();
    return all.substr(std::exchange(seen_, all.size()));
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
  std::size_t seen_ = 0;
};

// A report on simulated time, fed counts and a backlog the test sets.
class ActivityReportTest : public ::testing::Test {
 protected:
  ActivityReportTest() {
    boost::asio::co_spawn(io_, report_.Run(), boost::asio::detached);
    Pass(Duration{0});  // the first run opens the first minute
  }
  ~ActivityReportTest() override {
    report_.Stop();
    Pass(Duration{0});
  }

  void Pass(Duration d) {
    clock_.Advance(d);
    io_.restart();
    io_.poll();
  }

  boost::asio::io_context io_;
  testing::ManualClock clock_{io_.get_executor()};
  CallActivity activity_;
  BacklogNow backlog_;
  CapturedLog log_;
  ActivityReport report_{clock_,
                         {},
                         [this] { return std::exchange(activity_, {}); },
                         [this]() -> boost::asio::awaitable<BacklogNow> { co_return backlog_; }};
};

TEST_F(ActivityReportTest, OneInfoLineAMinuteSummarisesCallsRecordsAndBacklog) {
  activity_ = {.calls_ok = 11, .calls_refused = 1, .records_sent = 275};
  backlog_ = {.pending = 1200, .oldest_age = minutes(3) + seconds(20)};
  Pass(seconds(59));
  EXPECT_EQ(log_.Take(), "") << "not before the minute is up";
  Pass(seconds(1));
  EXPECT_EQ(log_.Take(),
            "info last 60s: 12 calls (11 ok, 1 refused, 0 failed), 275 records sent, 0 dead-lettered; "
            "pending 1200, oldest 3m\n");

  activity_ = {.calls_ok = 2, .calls_failed = 1, .records_sent = 50, .records_dead_lettered = 1};
  backlog_ = {};
  Pass(seconds(60));
  EXPECT_EQ(
      log_.Take(),
      "info last 60s: 3 calls (2 ok, 0 refused, 1 failed), 50 records sent, 1 dead-lettered; pending 0\n")
      << "each minute counts only its own calls";
}

TEST_F(ActivityReportTest, AnIdleMinuteWithNothingPendingWritesNothing) {
  Pass(minutes(10));
  EXPECT_EQ(log_.Take(), "");
  backlog_ = {.pending = 5, .oldest_age = seconds(40)};
  Pass(seconds(60));
  EXPECT_EQ(log_.Take(),
            "info last 60s: 0 calls (0 ok, 0 refused, 0 failed), 0 records sent, 0 dead-lettered; "
            "pending 5, oldest 40s\n")
      << "a backlog nothing moves is worth a line";
}

}  // namespace
}  // namespace leadsync::daemon
