// IngestQueue on every backend: coalescing, checkpoints, the backlog.
#include "tests/core/queue/queue_role_test.hpp"

namespace leadsync::testing {
namespace {

TEST_P(IngestRoleTest, CoalescesChangesToOneKeyWhilePending) {
  auto q = Open();
  EnqueueResult r = q->Enqueue(
      std::vector{Change("A@x.com", {{"FirstName", "Ann"}, {"City", "Pune"}}),
                  Change("b@x.com", {{"FirstName", "Bob"}}), Change(" a@X.com", {{"FirstName", "Anna"}})},
      {}, std::nullopt, clock_.Now());
  EXPECT_EQ(r.inserted, 2);
  EXPECT_EQ(r.coalesced, 1);
  EXPECT_EQ(q->Backlog(), 2);
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].key, "emailaddress:a@x.com");
  EXPECT_EQ(Value(batch[0], "FirstName"), "Anna");
  EXPECT_EQ(Value(batch[0], "City"), "Pune");
  // Values are sent as written: only the key is normalised.
  EXPECT_EQ(Value(batch[0], "EmailAddress"), " a@X.com");
}

TEST_P(IngestRoleTest, CheckpointCommitsWithTheRecords) {
  auto q = Open();
  std::vector<Rejection> rejected = {{"spool", "", "f.csv:3", "no key", "x"}};
  const EnqueueResult r = q->Enqueue(std::vector{Change("a@x.com", {}, "spool")}, rejected,
                                     CheckpointUpdate{"spool", "file-1"}, clock_.Now());
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(q->ReadCheckpoint("spool").value, "file-1");
  QueueStats stats = q->Stats();
  EXPECT_EQ(stats.sources["spool"].ingested, 1);
  EXPECT_EQ(stats.dead_letter, 1);
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].reason, dead_letter::kRejected);
  EXPECT_EQ(dead[0].message, "f.csv:3: no key");
  EXPECT_FALSE(dead[0].status.has_value());
}

TEST_P(IngestRoleTest, CheckpointResetBumpsTheEpochAndRefusesAStaleCommit) {
  auto q = Open();
  (void)q->Enqueue(std::vector{Change("a@x.com", {}, "pg")}, {}, CheckpointUpdate{"pg", "100", 0},
                   clock_.Now());
  EXPECT_EQ(q->ReadCheckpoint("pg").epoch, 0);
  q->ResetCheckpoint("pg", "5");
  const Checkpoint reset = q->ReadCheckpoint("pg");
  EXPECT_EQ(reset.value, "5");
  EXPECT_EQ(reset.epoch, 1);
  const EnqueueResult stale = q->Enqueue(std::vector{Change("b@x.com", {}, "pg")}, {},
                                         CheckpointUpdate{"pg", "200", 0}, clock_.Now());
  EXPECT_TRUE(stale.checkpoint_conflict);
  EXPECT_EQ(q->ReadCheckpoint("pg").value, "5");
  EXPECT_EQ(q->Stats().pending, 1) << "nothing of the stale commit landed";
  q->ResetCheckpoint("pg", std::nullopt);
  EXPECT_EQ(q->ReadCheckpoint("pg").value, std::nullopt);
  EXPECT_EQ(q->ReadCheckpoint("never").epoch, 0);
}

TEST_P(IngestRoleTest, UnreadableRowGivesWayToANewChange) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  backend_->OverwriteRecord("emailaddress:a@x.com", "garbage");
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(Value(batch[0], "FirstName"), "v2");
  EXPECT_EQ(q->DeadLetters().at(0).reason, dead_letter::kUnreadable);
  EXPECT_EQ(q->TakeUnreadableCount(), 1);
}

TEST_P(IngestRoleTest, BacklogCountsPendingAndInFlightRecords) {
  auto q = Open();
  for (int i = 0; i < 5; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
  ASSERT_EQ(q->Claim(2, clock_.Now()).size(), 2u);
  Add(*q, {Change("u0@x.com", {{"FirstName", "held"}})});
  EXPECT_EQ(q->Backlog(), 6) << "5 records, one of them in flight with a newer change held";
}

}  // namespace
}  // namespace leadsync::testing
