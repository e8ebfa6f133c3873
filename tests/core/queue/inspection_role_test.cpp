// QueueInspection on every backend: counts, the oldest record, sources.
#include "tests/core/queue/queue_role_test.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::milliseconds;

TEST_P(InspectionRoleTest, CountsSurviveAReopen) {
  {
    auto q = Open();
    for (int i = 0; i < 5; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
    (void)q->Claim(2, clock_.Now());
  }
  auto q = Open();
  const QueueStats stats = q->Stats();
  EXPECT_EQ(stats.pending, 5);
  EXPECT_EQ(stats.in_flight, 0);
  EXPECT_EQ(q->Backlog(), 5);
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

TEST_P(InspectionRoleTest, StatsShowTheOldestRecordAndEachSource) {
  auto q = Open();
  EXPECT_EQ(q->OldestPending(), std::nullopt);
  const TimePoint first = clock_.Now();
  (void)q->Enqueue(std::vector{Change("a@x.com", {}, "spool")}, {}, CheckpointUpdate{"spool", "f1"},
                   clock_.Now());
  clock_.Advance(milliseconds(500));
  (void)q->Enqueue(std::vector{Change("b@x.com", {}, "pg"), Change("c@x.com", {}, "pg")}, {},
                   CheckpointUpdate{"pg", "42"}, clock_.Now());
  ASSERT_EQ(q->Claim(1, clock_.Now()).size(), 1u);
  EXPECT_EQ(q->OldestPending(), first) << "a record in flight is still the oldest";
  const QueueStats stats = q->Stats();
  EXPECT_EQ(stats.pending, 2);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.dead_letter, 0);
  EXPECT_EQ(stats.oldest, first);
  ASSERT_EQ(stats.sources.size(), 2u);
  EXPECT_EQ(stats.sources.at("spool").checkpoint, "f1");
  EXPECT_EQ(stats.sources.at("pg").ingested, 2);
}

// Another process's changes show once the counts are refreshed.
TEST_P(InspectionRoleTest, RefreshPicksUpAnotherProcesssChanges) {
  auto daemon = Open();
  auto tool = backend_->OpenAsTool();
  Add(*tool, {Change("a@x.com", {}), Change("b@x.com", {})});
  EXPECT_EQ(daemon->Backlog(), 0) << "counts are kept, not read per call";
  daemon->Refresh();
  EXPECT_EQ(daemon->Backlog(), 2);
}

}  // namespace
}  // namespace leadsync::testing
