#include "daemon/source_status.hpp"

#include <gtest/gtest.h>

#include "daemon/json_output.hpp"

namespace leadsync::daemon {
namespace {

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
  const std::string text = StatsJson(stats, SourceStatuses(stats, {"crm", "files"}), {}, TimePoint{});
  EXPECT_NE(text.find(R"("sources":{"crm":{"checkpoint":"42","ingested":1},)"
                      R"("files":{"checkpoint":null,"ingested":0}})"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace leadsync::daemon
