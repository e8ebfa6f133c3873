#include "core/dispatch/drain_forecast.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using std::chrono::seconds;

PriorityBacklogs Backlogs(std::int64_t high, std::int64_t normal, std::int64_t low) {
  PriorityBacklogs backlogs{};
  backlogs[static_cast<std::size_t>(PriorityValue(Priority::kHigh))].records = high;
  backlogs[static_cast<std::size_t>(PriorityValue(Priority::kNormal))].records = normal;
  backlogs[static_cast<std::size_t>(PriorityValue(Priority::kLow))].records = low;
  return backlogs;
}

std::optional<double> Of(const std::array<std::optional<double>, 3>& drain, Priority priority) {
  return drain[static_cast<std::size_t>(PriorityValue(priority))];
}

// 5 calls in 5 s of 25 records: 25 records a second.
TEST(DrainForecast, EachPriorityWaitsForItselfAndEveryHigherOne) {
  const auto drain = DrainSeconds(Backlogs(50, 0, 100'000), {5, seconds(5), 25});
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kHigh), 2.0);
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kNormal), 0.0) << "nothing of it waits";
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kLow), 100'050 / 25.0);
}

TEST(DrainForecast, NoForecastWhenTheRateMovesNothing) {
  const auto drain = DrainSeconds(Backlogs(1, 0, 0), {0, seconds(5), 25});
  EXPECT_FALSE(Of(drain, Priority::kHigh));
  EXPECT_EQ(Of(drain, Priority::kLow), 0.0);
}

}  // namespace
}  // namespace leadsync
