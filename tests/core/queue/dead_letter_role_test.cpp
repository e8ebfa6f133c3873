// DeadLetterQueue on every backend: what a dead letter keeps, replay, purge.
#include "tests/core/queue/queue_role_test.hpp"

namespace leadsync::testing {
namespace {

TEST_P(DeadLetterRoleTest, DeadLetterKeepsTheAnswerAndCanBeReplayed) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  q->ApplySettlement(
      {clock_.Now(), 400, {}, {}, {{batch[0].id, "bad_request", 400, "MXInvalidException", "bad"}}, {}});
  EXPECT_EQ(q->Backlog(), 0);
  EXPECT_EQ(q->DeadLetterCount(), 1);
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].status, 400);
  EXPECT_EQ(dead[0].exception_type, "MXInvalidException");
  EXPECT_EQ(dead[0].attempts, 1);
  EXPECT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 1);
  EXPECT_EQ(q->DeadLetterCount(), 0);
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 0);
}

// A replayed dead letter is the older change: the newer pending change wins
// attribute by attribute, and what only the old one had is kept.
TEST_P(DeadLetterRoleTest, ReplayNeverOverwritesANewerPendingChange) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "Old"}, {"City", "Pune"}})});
  auto batch = q->Claim(25, clock_.Now());
  q->ApplySettlement({clock_.Now(), 400, {}, {}, {{batch[0].id, "bad_request", 400, "", "bad"}}, {}});
  Add(*q, {Change("a@x.com", {{"FirstName", "New"}})});
  ASSERT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 1);
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(Value(again[0], "FirstName"), "New");
  EXPECT_EQ(Value(again[0], "City"), "Pune");
  EXPECT_EQ(q->Stats().pending, 0);
}

TEST_P(DeadLetterRoleTest, ReplayIntoAKeyInFlightKeepsTheInFlightValues) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "Old"}, {"City", "Pune"}})});
  auto first = q->Claim(25, clock_.Now());
  q->ApplySettlement({clock_.Now(), 400, {}, {}, {{first[0].id, "bad_request", 400, "", "bad"}}, {}});
  Add(*q, {Change("a@x.com", {{"FirstName", "Sent"}})});
  auto in_flight = q->Claim(25, clock_.Now());
  ASSERT_EQ(in_flight.size(), 1u);
  ASSERT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 1);
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty()) << "held while its key is in flight";
  q->ApplySettlement(Accepted(in_flight[0]));
  auto next = q->Claim(25, clock_.Now());
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Value(next[0], "FirstName"), "Sent");
  EXPECT_EQ(Value(next[0], "City"), "Pune");
}

// A record refused at ingest has no key to go back under: it stays.
TEST_P(DeadLetterRoleTest, ReplayLeavesARejectionWithoutAKey) {
  auto q = Open();
  std::vector<Rejection> rejected = {{"spool", "", "f.csv:3", "no key", "x"}};
  (void)q->Enqueue({}, rejected, std::nullopt, clock_.Now());
  EXPECT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 0);
  EXPECT_EQ(q->DeadLetterCount(), 1);
  EXPECT_EQ(q->Backlog(), 0);
}

TEST_P(DeadLetterRoleTest, PurgeRemovesTheChosenEntriesOrAll) {
  auto q = Open();
  std::vector<Rejection> rejected = {{"spool", "", "f.csv:1", "no key", "x"},
                                     {"spool", "", "f.csv:2", "no key", "y"},
                                     {"spool", "", "f.csv:3", "no key", "z"}};
  (void)q->Enqueue({}, rejected, std::nullopt, clock_.Now());
  const auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 3u);
  EXPECT_EQ(q->PurgeDeadLetters({dead[1].id}), 1);
  EXPECT_EQ(q->DeadLetterCount(), 2);
  const auto left = q->DeadLetters();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].record, "x");
  EXPECT_EQ(left[1].record, "z");
  EXPECT_EQ(q->PurgeDeadLetters({}), 2);
  EXPECT_EQ(q->DeadLetterCount(), 0);
}

}  // namespace
}  // namespace leadsync::testing
