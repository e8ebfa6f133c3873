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

WindowUse Window(Duration per, int limit, int calls) { return {per, calls, limit, {}}; }

std::optional<double> Of(const std::array<std::optional<double>, 3>& drain, Priority priority) {
  return drain[static_cast<std::size_t>(PriorityValue(priority))];
}

// 5 calls in 5 s of 25 records, the window full: 25 records a second.
TEST(DrainForecast, EachPriorityWaitsForItselfAndEveryHigherOne) {
  const auto drain = DrainSeconds(Backlogs(50, 0, 100'000), {{Window(seconds(5), 5, 5)}, 25});
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kHigh), 2.0);
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kNormal), 0.0) << "nothing of it waits";
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kLow), 100'050 / 25.0);
}

TEST(DrainForecast, CallsAWindowHasRoomForStartNow) {
  const auto drain = DrainSeconds(Backlogs(0, 50, 250), {{Window(seconds(5), 5, 2)}, 25});
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kNormal), 0.0) << "2 calls, 3 free";
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kLow), 9.0) << "12 calls: 3 now, 9 at one a second";
}

// 10,000 calls a day, 9,000 used: the next 1,000 calls go at the short
// window's pace, every later one waits for the day.
TEST(DrainForecast, ADailyCapTheBacklogPassesTakesDays) {
  const DrainRate rate{{Window(seconds(5), 5, 5), Window(seconds(86'400), 10'000, 9'000)}, 25};
  const auto drain = DrainSeconds(Backlogs(25 * 1'000, 0, 25 * 21'000), rate);
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kHigh), 1'000.0) << "within today's room: the short window decides";
  EXPECT_DOUBLE_EQ(*Of(drain, Priority::kLow), 21'000.0 * 86'400 / 10'000) << "two more days";
}

TEST(DrainForecast, NoForecastWhenAWindowAllowsNothing) {
  const auto drain = DrainSeconds(Backlogs(1, 0, 0), {{Window(seconds(5), 0, 0)}, 25});
  EXPECT_FALSE(Of(drain, Priority::kHigh));
  EXPECT_EQ(Of(drain, Priority::kLow), 0.0);
}

}  // namespace
}  // namespace leadsync
