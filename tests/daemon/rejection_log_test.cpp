#include "daemon/rejection_log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <sstream>

namespace leadsync::daemon {
namespace {

using std::chrono::milliseconds;

// Captures what the default logger writes, one "LEVEL message" a line.
class RejectionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto logger =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out_));
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }

  std::vector<std::string> TakeLines() {
    std::vector<std::string> lines;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    out_.str("");
    return lines;
  }

  static std::vector<Rejection> Rejections(const std::string& file, int count) {
    std::vector<Rejection> rejections;
    for (int line = 1; line <= count; ++line) {
      Rejection r;
      r.location = file + ":" + std::to_string(line);
      r.reason = "no key";
      rejections.push_back(std::move(r));
    }
    return rejections;
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
  boost::asio::io_context io_;
};

TEST_F(RejectionLogTest, EachRejectedRecordIsOneWarningWithFileLineAndReason) {
  RejectionLog log(io_.get_executor(), 3, milliseconds(50));
  log.Report("signups", Rejections("a.jsonl", 2));
  EXPECT_EQ(TakeLines(), (std::vector<std::string>{"warning source signups: a.jsonl:1: no key",
                                                   "warning source signups: a.jsonl:2: no key"}));
  io_.run();
  EXPECT_TRUE(TakeLines().empty()) << "nothing was held back, so no count follows";
}

TEST_F(RejectionLogTest, PastTheBurstTheRestAreCountedUntilTheWindowEnds) {
  RejectionLog log(io_.get_executor(), 3, milliseconds(50));
  log.Report("signups", Rejections("a.jsonl", 2));
  log.Report("signups", Rejections("b.jsonl", 5));
  log.Report("other", Rejections("c.csv", 1));
  const auto lines = TakeLines();
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], "warning source signups: b.jsonl:1: no key");
  EXPECT_EQ(lines[3],
            "warning source signups: more than 3 records rejected within 0.05 s; counting the rest");
  EXPECT_EQ(lines[4], "warning source other: c.csv:1: no key") << "each source has its own budget";

  io_.run();  // until the window's timer has fired
  EXPECT_EQ(TakeLines(),
            (std::vector<std::string>{"warning source signups: 4 more record(s) rejected within 0.05 s, "
                                      "not logged one by one (`leadsync dlq list` shows them all)"}));
  log.Report("signups", Rejections("d.jsonl", 1));
  EXPECT_EQ(TakeLines(), (std::vector<std::string>{"warning source signups: d.jsonl:1: no key"}))
      << "a new window logs again";
}

TEST_F(RejectionLogTest, ACountStillPendingWhenTheLogGoesAwayIsDropped) {
  {
    RejectionLog log(io_.get_executor(), 1, milliseconds(10));
    log.Report("signups", Rejections("a.jsonl", 3));
  }
  io_.run();
  EXPECT_EQ(TakeLines().size(), 2u);
}

}  // namespace
}  // namespace leadsync::daemon
