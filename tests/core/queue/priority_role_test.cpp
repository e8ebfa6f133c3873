// Priorities on every backend: the order a claim fills a batch in, the
// starvation guard, and the priority a merged or replayed change keeps.
#include "tests/core/queue/queue_role_test.hpp"

namespace leadsync::testing {
namespace {

std::vector<Priority> Priorities(const std::vector<QueuedRecord>& records) {
  std::vector<Priority> out;
  for (const auto& r : records) out.push_back(r.priority);
  return out;
}

TEST_P(PriorityRoleTest, BatchFillsFromTheHighestPriorityThenOldestFirst) {
  auto q = Open();
  AddMany(*q, Priority::kLow, "backfill", 30);
  AddMany(*q, Priority::kNormal, "form", 2);
  AddMany(*q, Priority::kHigh, "signup", 3);
  const auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 25u);
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i) expected.push_back("emailaddress:" + Email("signup", i));
  for (int i = 0; i < 2; ++i) expected.push_back("emailaddress:" + Email("form", i));
  for (int i = 0; i < 20; ++i) expected.push_back("emailaddress:" + Email("backfill", i));
  EXPECT_EQ(Keys(batch), expected);
  EXPECT_EQ(Keys(q->Claim(25, clock_.Now())).front(), "emailaddress:" + Email("backfill", 20));
}

// Claims 4 and 9 of every ten start from normal and low; the others from high.
TEST_P(PriorityRoleTest, EachLowerPriorityStartsOneCallInTenWhileHigherOnesHaveWork) {
  auto q = Open();
  AddMany(*q, Priority::kLow, "backfill", 100);
  AddMany(*q, Priority::kNormal, "form", 100);
  AddMany(*q, Priority::kHigh, "signup", 100);
  std::vector<Priority> firsts;
  for (int call = 0; call < 20; ++call) {
    const auto batch = Call(*q, 3);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(Priorities(batch), std::vector<Priority>(3, batch.front().priority)) << "call " << call;
    firsts.push_back(batch.front().priority);
  }
  std::vector<Priority> expected(20, Priority::kHigh);
  expected[4] = expected[14] = Priority::kNormal;
  expected[9] = expected[19] = Priority::kLow;
  EXPECT_EQ(firsts, expected);
}

TEST_P(PriorityRoleTest, GuardClaimFillsUpWithHigherPriorities) {
  auto q = Open();
  AddMany(*q, Priority::kLow, "backfill", 1);
  AddMany(*q, Priority::kHigh, "signup", 100);
  for (int call = 0; call < 9; ++call) {
    EXPECT_EQ(Priorities(Call(*q, 5)), std::vector<Priority>(5, Priority::kHigh)) << "call " << call;
  }
  EXPECT_EQ(Priorities(Call(*q, 5)), (std::vector<Priority>{Priority::kLow, Priority::kHigh, Priority::kHigh,
                                                            Priority::kHigh, Priority::kHigh}));
}

TEST_P(PriorityRoleTest, MergedChangeTakesTheHigherPriority) {
  auto q = Open();
  Add(*q, {At(Priority::kLow, Change("a@x.com", {{"FirstName", "v1"}})),
           At(Priority::kHigh, Change("b@x.com", {{"FirstName", "v1"}})),
           At(Priority::kNormal, Change("c@x.com", {}))});
  Add(*q, {At(Priority::kHigh, Change("a@x.com", {{"City", "Pune"}})),
           At(Priority::kLow, Change("b@x.com", {{"City", "Pune"}}))});
  const auto batch = q->Claim(25, clock_.Now());
  EXPECT_EQ(Keys(batch), (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com",
                                                   "emailaddress:c@x.com"}));
  EXPECT_EQ(Priorities(batch), (std::vector<Priority>{Priority::kHigh, Priority::kHigh, Priority::kNormal}));
  EXPECT_EQ(Value(batch[0], "FirstName"), "v1");
  EXPECT_EQ(Value(batch[0], "City"), "Pune");
}

TEST_P(PriorityRoleTest, HeldChangeRaisesThePriorityOfTheRecordItMergesInto) {
  auto q = Open();
  Add(*q, {At(Priority::kLow, Change("a@x.com", {{"FirstName", "v1"}}))});
  const auto in_flight = q->Claim(25, clock_.Now());
  ASSERT_EQ(in_flight.size(), 1u);
  Add(*q, {At(Priority::kHigh, Change("a@x.com", {{"FirstName", "v2"}}))});
  AddMany(*q, Priority::kNormal, "form", 3);
  q->ApplySettlement({clock_.Now(), 0, {}, {}, {}, {in_flight[0].id}});
  const auto again = q->Claim(1, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, in_flight[0].id);
  EXPECT_EQ(again[0].priority, Priority::kHigh);
  EXPECT_EQ(Value(again[0], "FirstName"), "v2");
}

TEST_P(PriorityRoleTest, ReplayedDeadLetterKeepsItsOwnPriority) {
  auto q = Open();
  Add(*q,
      {At(Priority::kHigh, Change("signup@x.com", {})), At(Priority::kLow, Change("backfill@x.com", {}))});
  const auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 2u);
  q->ApplySettlement(
      {clock_.Now(),
       400,
       {},
       {},
       {{batch[0].id, "bad_request", 400, "", "bad"}, {batch[1].id, "bad_request", 400, "", "bad"}},
       {}});
  AddMany(*q, Priority::kNormal, "form", 2);
  ASSERT_EQ(q->ReplayDeadLetters({}, clock_.Now()), 2);
  const auto again = q->Claim(25, clock_.Now());
  EXPECT_EQ(Keys(again),
            (std::vector<std::string>{"emailaddress:signup@x.com", "emailaddress:form0@x.com",
                                      "emailaddress:form1@x.com", "emailaddress:backfill@x.com"}));
  EXPECT_EQ(Priorities(again),
            (std::vector<Priority>{Priority::kHigh, Priority::kNormal, Priority::kNormal, Priority::kLow}));
}

TEST_P(PriorityRoleTest, PriorityOutlivesARestart) {
  {
    auto q = Open();
    AddMany(*q, Priority::kNormal, "form", 2);
    Add(*q, {At(Priority::kHigh, Change("signup@x.com", {}))});
  }
  auto q = Open();
  EXPECT_EQ(Keys(q->Claim(1, clock_.Now())), std::vector<std::string>{"emailaddress:signup@x.com"});
}

// What `queue stats` and the capacity gauges read: records and the oldest
// one per priority (in flight included), kept as records move and merge,
// and each source's oldest record.
TEST_P(PriorityRoleTest, BacklogByPriorityFollowsClaimsMergesAndDeliveries) {
  const auto at = [](const PriorityBacklogs& b, Priority p) {
    return b[static_cast<std::size_t>(PriorityValue(p))];
  };
  auto q = Open();
  const TimePoint first = clock_.Now();
  AddMany(*q, Priority::kLow, "backfill", 4);
  clock_.Advance(std::chrono::seconds(1));
  Add(*q, {At(Priority::kHigh, Change("signup@x.com", {}, "web"))});
  const auto in_flight = q->Claim(1, clock_.Now());
  ASSERT_EQ(Keys(in_flight), std::vector<std::string>{"emailaddress:signup@x.com"});
  Add(*q, {At(Priority::kNormal, Change(Email("backfill", 0), {}, "web"))});  // merges: low becomes normal
  PriorityBacklogs backlogs = q->BacklogByPriority();
  EXPECT_EQ(at(backlogs, Priority::kHigh).records, 1) << "in flight counts";
  EXPECT_EQ(at(backlogs, Priority::kHigh).oldest, first + std::chrono::seconds(1));
  EXPECT_EQ(at(backlogs, Priority::kNormal).records, 1);
  EXPECT_EQ(at(backlogs, Priority::kNormal).oldest, first);
  EXPECT_EQ(at(backlogs, Priority::kLow).records, 3);
  EXPECT_EQ(q->OldestPendingOf("s"), first);
  EXPECT_EQ(q->OldestPendingOf("web"), first + std::chrono::seconds(1));
  q->ApplySettlement(Accepted(in_flight[0]));
  backlogs = OpenAsTool()->Stats().priorities;  // what `queue stats` reads, from the counts table
  EXPECT_EQ(at(backlogs, Priority::kHigh).records, 0);
  EXPECT_EQ(at(backlogs, Priority::kHigh).oldest, std::nullopt);
  EXPECT_EQ(at(backlogs, Priority::kLow).records, 3);
  EXPECT_EQ(q->OldestPendingOf("web"), std::nullopt);
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

}  // namespace

}  // namespace leadsync::testing
