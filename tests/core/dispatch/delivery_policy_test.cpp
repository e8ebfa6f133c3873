#include "core/dispatch/delivery_policy.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using std::chrono::milliseconds;

std::vector<QueuedRecord> Records(int n, TimePoint first_seen) {
  std::vector<QueuedRecord> records;
  for (int i = 0; i < n; ++i) records.push_back({100 + i, "k" + std::to_string(i), "s", "[]", i, first_seen});
  return records;
}

ApiOutcome Outcome(OutcomeKind kind, int status) {
  ApiOutcome outcome;
  outcome.kind = kind;
  outcome.status = status;
  return outcome;
}

RowResult Row(int number, std::string lead_id, bool created) {
  return {number, std::move(lead_id), created, !created, 1, ""};
}

class DeliveryPolicyTest : public ::testing::Test {
 protected:
  ManualTimeSource clock_;
  Backoff backoff_{{milliseconds(100), milliseconds(1000)}, 3};
};

TEST_F(DeliveryPolicyTest, RowWithoutLeadIdIsDeadLetteredAndTheRestDelivered) {
  ApiOutcome ok = Outcome(OutcomeKind::kOk, 200);
  ok.rows = {Row(1, "L1", true), RowResult{2, "", false, false, 0, "MXDuplicateEntryException: dup"},
             Row(3, "L3", false)};
  Settlement s = SettleAccepted(Records(3, clock_.Now()), ok, clock_.Now(), backoff_);
  ASSERT_EQ(s.delivered.size(), 2u);
  EXPECT_EQ(s.delivered[0].id, 100);
  EXPECT_EQ(s.delivered[1].row.lead_id, "L3");
  ASSERT_EQ(s.dead.size(), 1u);
  EXPECT_EQ(s.dead[0].id, 101);
  EXPECT_EQ(s.dead[0].reason, dead_letter::kRejectedRow);
  EXPECT_EQ(s.dead[0].message, "MXDuplicateEntryException: dup");
}

TEST_F(DeliveryPolicyTest, RecordMissingFromTheAnswerIsRetriedNotDropped) {
  ApiOutcome ok = Outcome(OutcomeKind::kOk, 200);
  ok.rows = {Row(1, "L1", true)};
  Settlement s = SettleAccepted(Records(2, clock_.Now()), ok, clock_.Now(), backoff_);
  ASSERT_EQ(s.retry.size(), 1u);
  EXPECT_EQ(s.retry[0].id, 101);
}

TEST_F(DeliveryPolicyTest, TransientFailureBacksOffWithinTheCeilingAndHonoursRetryAfter) {
  ApiOutcome failure = Outcome(OutcomeKind::kTransient, 503);
  Settlement s = SettleTransient(Records(3, clock_.Now()), failure, clock_.Now(), backoff_, {});
  ASSERT_EQ(s.retry.size(), 3u);
  // One delay for the batch, from its most-tried record (2 attempts so far).
  EXPECT_LE(s.retry[0].not_before, clock_.Now() + backoff_.Ceiling(3));
  for (const RetryLater& r : s.retry) EXPECT_EQ(r.not_before, s.retry[0].not_before);
  failure.retry_after = milliseconds(7000);
  s = SettleTransient(Records(1, clock_.Now()), failure, clock_.Now(), backoff_, {});
  EXPECT_GE(s.retry[0].not_before, clock_.Now() + milliseconds(7000));
}

TEST_F(DeliveryPolicyTest, RecordsOlderThanMaxRecordAgeAreDeadLettered) {
  const TimePoint old = clock_.Now();
  clock_.Advance(milliseconds(60000));
  Settlement s = SettleTransient(Records(1, old), Outcome(OutcomeKind::kNetwork, 0), clock_.Now(), backoff_,
                                 RetryPolicy{milliseconds(30000)});
  ASSERT_EQ(s.dead.size(), 1u);
  EXPECT_EQ(s.dead[0].reason, dead_letter::kExpired);
  EXPECT_FALSE(s.dead[0].status.has_value());
}

TEST_F(DeliveryPolicyTest, DeadLetterCarriesStatusAndException) {
  ApiOutcome error = Outcome(OutcomeKind::kDataError, 500);
  error.error = {"Error", "MXDuplicateEntryException", "A lead with same Phone already exists"};
  Settlement s = SettleDead(Records(1, clock_.Now()), error, clock_.Now(), dead_letter::kDataError);
  ASSERT_EQ(s.dead.size(), 1u);
  EXPECT_EQ(s.dead[0].status, 500);
  EXPECT_EQ(s.dead[0].exception_type, "MXDuplicateEntryException");
  EXPECT_EQ(s.dead[0].message, "A lead with same Phone already exists");
}

}  // namespace
}  // namespace leadsync
