// HistoryQueue on every backend: the delivery journal.
#include "tests/core/queue/queue_role_test.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::milliseconds;

// A delivery removes only the version that was sent and journals it.
TEST_P(HistoryRoleTest, DeliveryJournalsTheVersionSentAndKeepsANewerOne) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  q->ApplySettlement(Accepted(batch[0]));
  EXPECT_EQ(q->Backlog(), 1);
  const auto history = q->History("emailaddress:a@x.com");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].status, 200);
  EXPECT_EQ(history[0].lead_id, "L" + std::to_string(batch[0].id));
  EXPECT_TRUE(history[0].created);
  EXPECT_NE(history[0].attributes.find("v1"), std::string::npos) << history[0].attributes;
}

TEST_P(HistoryRoleTest, JournalIsNewestFirstAndPruned) {
  auto q = Open();
  const TimePoint first = clock_.Now();
  for (int round = 0; round < 2; ++round) {
    Add(*q, {Change("a@x.com", {{"FirstName", "v" + std::to_string(round)}})});
    auto batch = q->Claim(25, clock_.Now());
    ASSERT_EQ(batch.size(), 1u);
    q->ApplySettlement(Accepted(batch[0]));
    clock_.Advance(milliseconds(1000));
  }
  auto history = q->History("emailaddress:a@x.com");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].at, first + milliseconds(1000));
  EXPECT_EQ(history[1].at, first);
  q->PruneHistory(first + milliseconds(1000));
  history = q->History("emailaddress:a@x.com");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].at, first + milliseconds(1000));
  EXPECT_TRUE(q->History("emailaddress:nobody@x.com").empty());
}

}  // namespace
}  // namespace leadsync::testing
