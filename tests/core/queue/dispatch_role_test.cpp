// DispatchQueue on every backend: readiness, claims, settlements, records
// returned to pending, and the call starts kept for the ledger.
#include <stdexcept>

#include "tests/core/queue/queue_role_test.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::milliseconds;

TEST_P(DispatchRoleTest, ClaimsOldestFirstUpToTheLimit) {
  auto q = Open();
  for (int i = 0; i < 30; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
  auto first = q->Claim(25, clock_.Now());
  ASSERT_EQ(first.size(), 25u);
  EXPECT_EQ(first.front().key, "emailaddress:u0@x.com");
  EXPECT_EQ(first.back().key, "emailaddress:u24@x.com");
  EXPECT_EQ(Keys(q->Claim(25, clock_.Now())).front(), "emailaddress:u25@x.com");
}

// leadsquared.max_request_bytes: a claim stops before the record that would
// take the body (JoinRecords of the texts) over the cap; the rest keep
// their place for the next claim.
TEST_P(DispatchRoleTest, ClaimStopsBeforeTheRecordThatWouldPassTheBodyCap) {
  auto q = Open();
  for (int i = 0; i < 6; ++i) {
    Add(*q, {Change("u" + std::to_string(i) + "@x.com", {{"mx_Notes", std::string(1000, 'n')}})});
  }
  const std::size_t record = q->Claim(1, clock_.Now()).front().record.size();
  q->ReturnInFlight(clock_.Now());
  const std::size_t three = 2 + 3 * record + 2;  // [a,b,c]
  auto first = q->Claim(ClaimLimit{25, three}, clock_.Now(), nullptr);
  ASSERT_EQ(first.size(), 3U);
  std::vector<std::string> texts;
  for (const auto& r : first) texts.push_back(r.record);
  EXPECT_EQ(JoinRecords(texts).size(), three);
  EXPECT_EQ(first.front().key, "emailaddress:u0@x.com");
  auto second = q->Claim(ClaimLimit{25, three - 1}, clock_.Now(), nullptr);
  ASSERT_EQ(second.size(), 2U) << "one byte less leaves the third out";
  EXPECT_EQ(second.front().key, "emailaddress:u3@x.com");
  EXPECT_EQ(Keys(q->Claim(ClaimLimit{25, three}, clock_.Now(), nullptr)),
            std::vector<std::string>{"emailaddress:u5@x.com"});
}

TEST_P(DispatchRoleTest, ClaimHandsOutARecordOverTheBodyCapAlone) {
  auto q = Open();
  Add(*q, {Change("big@x.com", {{"mx_Notes", std::string(1000, 'n')}}), Change("small@x.com", {})});
  auto batch = q->Claim(ClaimLimit{25, 100}, clock_.Now(), nullptr);
  EXPECT_EQ(Keys(batch), std::vector<std::string>{"emailaddress:big@x.com"});
  EXPECT_EQ(Keys(q->Claim(ClaimLimit{25, 100}, clock_.Now(), nullptr)),
            std::vector<std::string>{"emailaddress:small@x.com"});
}

TEST_P(DispatchRoleTest, KeyInFlightIsNotClaimedAgainUntilSettled) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 1u);
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty());
  q->ApplySettlement(Accepted(batch[0]));
  auto next = q->Claim(25, clock_.Now());
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Value(next[0], "FirstName"), "v2");
}

TEST_P(DispatchRoleTest, RetriedRecordMergesUnderTheNewerVersion) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}, {"City", "Pune"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  q->ApplySettlement({clock_.Now(), 500, {}, {{batch[0].id, clock_.Now() + milliseconds(1000)}}, {}, {}});
  EXPECT_EQ(q->Backlog(), 1);
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty());  // backing off
  clock_.Advance(milliseconds(1000));
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, batch[0].id);
  EXPECT_EQ(again[0].attempts, 1);
  EXPECT_EQ(Value(again[0], "FirstName"), "v2");
  EXPECT_EQ(Value(again[0], "City"), "Pune");
}

TEST_P(DispatchRoleTest, HeldChangeMergesIntoAReturnedRecord) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"LastName", "L2"}})});
  Add(*q, {Change("a@x.com", {{"FirstName", "v3"}})});
  EXPECT_EQ(q->Stats().pending, 1) << "the two newer changes coalesced while held";
  q->ApplySettlement({clock_.Now(), 0, {}, {}, {}, {batch[0].id}});
  auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, batch[0].id) << "keeps its place in line";
  EXPECT_EQ(again[0].attempts, 0) << "returned untouched";
  EXPECT_EQ(Value(again[0], "FirstName"), "v3");
  EXPECT_EQ(Value(again[0], "LastName"), "L2");
  EXPECT_EQ(q->Backlog(), 1);
}

TEST_P(DispatchRoleTest, InFlightRecordsReturnToPendingWhenTheOwnerReopens) {
  {
    auto q = Open();
    Add(*q, {Change("a@x.com", {{"FirstName", "v1"}}), Change("b@x.com", {})});
    ASSERT_EQ(q->Claim(1, clock_.Now()).size(), 1u);
  }
  auto q = Open();
  EXPECT_EQ(q->Stats().in_flight, 0);
  EXPECT_EQ(q->Stats().pending, 2);
  EXPECT_EQ(Keys(q->Claim(25, clock_.Now())),
            (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com"}));
}

TEST_P(DispatchRoleTest, ReturnInFlightHandsEveryClaimBackInItsPlace) {
  auto q = Open();
  for (int i = 0; i < 3; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
  const auto claimed = q->Claim(2, clock_.Now());
  EXPECT_EQ(q->ReturnInFlight(clock_.Now()), 2);
  EXPECT_EQ(q->Stats().in_flight, 0);
  const auto again = q->Claim(25, clock_.Now());
  EXPECT_EQ(Keys(again), (std::vector<std::string>{"emailaddress:u0@x.com", "emailaddress:u1@x.com",
                                                   "emailaddress:u2@x.com"}));
  EXPECT_EQ(again[0].attempts, 0);
}

// The time of a dead letter made while returning records is the caller's,
// not the system clock's.
TEST_P(DispatchRoleTest, ReturnInFlightDatesWhatItDeadLettersWithTheCallersTime) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  ASSERT_EQ(q->Claim(25, clock_.Now()).size(), 1u);
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  backend_->OverwriteRecord("emailaddress:a@x.com", "garbage");  // the held change too
  const TimePoint returned_at = clock_.Now() + milliseconds(1234);
  EXPECT_EQ(q->ReturnInFlight(returned_at), 1);
  const auto dead = q->DeadLetters();
  ASSERT_FALSE(dead.empty());
  EXPECT_EQ(dead[0].reason, dead_letter::kUnreadable);
  EXPECT_EQ(dead[0].dead_lettered_at, returned_at);
}

TEST_P(DispatchRoleTest, UnreadableRowIsMovedToTheDeadLetterStoreAtClaim) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {}), Change("b@x.com", {})});
  backend_->OverwriteRecord("emailaddress:a@x.com", "garbage");
  auto batch = q->Claim(25, clock_.Now());
  EXPECT_EQ(Keys(batch), std::vector<std::string>{"emailaddress:b@x.com"});
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].reason, dead_letter::kUnreadable);
  EXPECT_EQ(dead[0].record, "garbage");
  EXPECT_EQ(dead[0].key, "emailaddress:a@x.com");
  EXPECT_EQ(q->TakeUnreadableCount(), 1);
  EXPECT_EQ(q->TakeUnreadableCount(), 0) << "taken once";
  EXPECT_EQ(q->Stats().pending, 0);
  EXPECT_EQ(q->Stats().dead_letter, 1);
  EXPECT_TRUE(q->IntegrityCheck().empty());
}

TEST_P(DispatchRoleTest, ReadinessCountsReadyRecordsUpToTheLimitAndTheNextRetry) {
  auto q = Open();
  EXPECT_EQ(q->ReadReadiness(25, clock_.Now()).ready, 0);
  const TimePoint first = clock_.Now();
  for (int i = 0; i < 4; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
  auto batch = q->Claim(1, clock_.Now());
  q->ApplySettlement({clock_.Now(), 500, {}, {{batch[0].id, clock_.Now() + milliseconds(2000)}}, {}, {}});
  const Readiness ready = q->ReadReadiness(2, clock_.Now());
  EXPECT_EQ(ready.ready, 2) << "capped at the limit";
  EXPECT_EQ(ready.oldest_ready, first);
  EXPECT_EQ(ready.next_not_before, clock_.Now() + milliseconds(2000));
  EXPECT_EQ(q->ReadReadiness(25, clock_.Now()).ready, 3) << "the retry waits";
}

// Readiness is a pure read: a retry that has come due counts as ready, even
// on a queue opened read-only, and stays where it is until a claim takes it.
TEST_P(DispatchRoleTest, ReadinessIsAReadThatCountsDueRetries) {
  auto q = Open();
  const TimePoint first = clock_.Now();
  Add(*q, {Change("a@x.com", {})});
  auto batch = q->Claim(25, clock_.Now());
  q->ApplySettlement({clock_.Now(), 500, {}, {{batch[0].id, clock_.Now() + milliseconds(1000)}}, {}, {}});
  clock_.Advance(milliseconds(1000));
  auto reader = backend_->OpenReadOnly();
  const Readiness ready = reader->ReadReadiness(25, clock_.Now());
  EXPECT_EQ(ready.ready, 1);
  EXPECT_EQ(ready.oldest_ready, first);
  EXPECT_EQ(ready.next_not_before, std::nullopt);
  reader.reset();
  const auto again = q->Claim(25, clock_.Now());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 1);
}

// What runs with a claim commits with it or not at all: the ledger relies on
// it to persist a call's start with the records claimed for the call.
TEST_P(DispatchRoleTest, WorkWithAClaimCommitsWithItOrNotAtAll) {
  auto q = Open();
  const TimePoint at = clock_.Now();
  EXPECT_TRUE(q->Claim(25, at, [](CallStartStore&) { FAIL() << "ran without a claim"; }).empty());
  Add(*q, {Change("a@x.com", {})});
  EXPECT_THROW((void)q->Claim(25, at,
                              [&](CallStartStore& s) {
                                s.AddCallStart(at);
                                throw std::runtime_error("after the start");
                              }),
               std::runtime_error);
  EXPECT_EQ(q->Stats().in_flight, 0) << "the claim rolled back";
  EXPECT_TRUE(q->CallStartsSince(at).empty()) << "and the start with it";
  const auto claimed = q->Claim(25, at, [&](CallStartStore& s) { s.AddCallStart(at); });
  EXPECT_EQ(claimed.size(), 1u);
  EXPECT_EQ(q->CallStartsSince(at), std::vector<TimePoint>{at});
}

TEST_P(DispatchRoleTest, CallStartsSurviveAReopenAndArePruned) {
  const TimePoint t = clock_.Now();
  {
    auto q = Open();
    for (int i = 0; i < 3; ++i) q->AddCallStart(t + milliseconds(100 * i));
  }
  auto q = Open();
  EXPECT_EQ(q->CallStartsSince(t + milliseconds(100)),
            (std::vector<TimePoint>{t + milliseconds(100), t + milliseconds(200)}));
  q->PruneCallStarts(t + milliseconds(200));
  EXPECT_EQ(q->CallStartsSince(t), std::vector<TimePoint>{t + milliseconds(200)});
}

}  // namespace
}  // namespace leadsync::testing
