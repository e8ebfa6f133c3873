#include "daemon/source_status.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "daemon/json_output.hpp"

namespace leadsync::daemon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

TEST(SourceStatus, ListsConfiguredSourcesWithoutACheckpointAndLeftoverOnes) {
  QueueStats stats;
  stats.sources["crm"] = SourceState{"2024-01-01 00:00:00+00", 7};
  stats.sources["gone"] = SourceState{"file|1|ab", 2};
  stats.sources["reset"] = SourceState{"", 3};
  const auto sources = SourceStatuses(stats, {"crm", "files", "reset"});

  ASSERT_EQ(sources.size(), 4u);
  EXPECT_EQ(sources.at("crm").checkpoint, "2024-01-01 00:00:00+00");
  EXPECT_EQ(sources.at("crm").ingested, 7);
  EXPECT_TRUE(sources.at("crm").configured);
  EXPECT_FALSE(sources.at("files").checkpoint);
  EXPECT_EQ(sources.at("files").ingested, 0);
  EXPECT_FALSE(sources.at("reset").checkpoint) << "reset to its start";
  EXPECT_FALSE(sources.at("gone").configured);
}

TEST(SourceStatus, StatsJsonWritesAMissingCheckpointAsNull) {
  QueueStats stats;
  stats.sources["crm"] = SourceState{"42", 1};
  const std::string text = StatsJson(stats, SourceStatuses(stats, {"crm", "files"}), {}, {}, TimePoint{});
  EXPECT_NE(text.find(R"("sources":{"crm":{"checkpoint":"42","ingested":1},)"
                      R"("files":{"checkpoint":null,"ingested":0}})"),
            std::string::npos)
      << text;
}

TEST(SourceStatus, StatsJsonShowsTheBacklogByPriority) {
  QueueStats stats;
  stats.priorities[static_cast<std::size_t>(PriorityValue(Priority::kHigh))] = {3, TimePoint{} - 2s};
  stats.priorities[static_cast<std::size_t>(PriorityValue(Priority::kLow))] = {500, TimePoint{} - 60s};
  const std::array<std::optional<double>, 3> drain{20.5, 0.0, std::nullopt};  // low, normal, high
  const std::string text = StatsJson(stats, {}, drain, {}, TimePoint{});
  const json::value out = json::parse(text);
  const json::object& priorities = out.at("priorities").as_object();
  EXPECT_EQ(priorities.at("high").at("pending").as_int64(), 3);
  EXPECT_EQ(priorities.at("high").at("oldest_age_seconds").to_number<double>(), 2.0);
  EXPECT_TRUE(priorities.at("high").at("drain_seconds").is_null());
  EXPECT_EQ(priorities.at("normal").at("pending").as_int64(), 0);
  EXPECT_EQ(priorities.at("low").at("oldest_age_seconds").to_number<double>(), 60.0);
  EXPECT_EQ(priorities.at("low").at("drain_seconds").as_double(), 20.5);
  EXPECT_EQ(text.find("E0"), std::string::npos) << "whole seconds are written as integers: " << text;
}

}  // namespace
}  // namespace leadsync::daemon
