#include "core/net/drop_log.hpp"

#include <gtest/gtest.h>

namespace leadsync::net {
namespace {

using namespace std::chrono_literals;
using Clock = DropLog::Clock;

TEST(DropLog, ReportsTheFirstDropAtOnceAndSumsUpTheRestAPeriodLater) {
  DropLog log(60s);
  const Clock::time_point start{};
  EXPECT_EQ(log.Count(DropReason::kEvicted, start + 1s), "dropped 1 connection: evicted 1");
  EXPECT_FALSE(log.pending());
  EXPECT_EQ(log.Count(DropReason::kEvicted, start + 2s), std::nullopt);
  EXPECT_EQ(log.Count(DropReason::kWriteTimeout, start + 3s), std::nullopt);
  EXPECT_EQ(log.Count(DropReason::kEvicted, start + 60s), std::nullopt);
  EXPECT_TRUE(log.pending());
  EXPECT_EQ(log.due(), start + 61s);
  EXPECT_EQ(log.Count(DropReason::kFull, start + 61s),
            "dropped 4 connections in 60 s: evicted 2, full 1, write_timeout 1");
  EXPECT_FALSE(log.pending());
}

TEST(DropLog, FlushesWhatWaitsAndNothingElse) {
  DropLog log(60s);
  const Clock::time_point start{};
  EXPECT_EQ(log.Flush(start), std::nullopt);
  ASSERT_TRUE(log.Count(DropReason::kReadTimeout, start).has_value());
  EXPECT_EQ(log.Count(DropReason::kReadTimeout, start + 10s), std::nullopt);
  EXPECT_EQ(log.Flush(start + 20s), "dropped 1 connection in 20 s: read_timeout 1");
  EXPECT_EQ(log.Flush(start + 30s), std::nullopt);
  // The next line is a whole period after the flushed one.
  EXPECT_EQ(log.Count(DropReason::kEvicted, start + 40s), std::nullopt);
  EXPECT_EQ(log.due(), start + 80s);
}

TEST(DropLog, NamesEveryReasonAsItsMetricLabel) {
  EXPECT_EQ(DropReasonLabel(DropReason::kEvicted), "evicted");
  EXPECT_EQ(DropReasonLabel(DropReason::kFull), "full");
  EXPECT_EQ(DropReasonLabel(DropReason::kReadTimeout), "read_timeout");
  EXPECT_EQ(DropReasonLabel(DropReason::kWriteTimeout), "write_timeout");
}

}  // namespace
}  // namespace leadsync::net
