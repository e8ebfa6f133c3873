#include "core/queue/queue.hpp"

#include <gtest/gtest.h>

#include "core/codec/api_body.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

using std::chrono::milliseconds;
using testing::TempDir;

IncomingLead Change(const std::string& email, std::vector<Attribute> attributes,
                    const std::string& source = "s") {
  attributes.insert(attributes.begin(), Attribute{"EmailAddress", email});
  Lead lead(std::move(attributes));
  return {*LeadKey(lead), source, lead};
}

Lead Decoded(const QueuedRecord& record) { return DecodeRecord(record.record).value_or(Lead{}); }

class QueueTest : public ::testing::Test {
 protected:
  std::unique_ptr<Queue> Open() {
    return OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, true});
  }
  void Add(Queue& q, std::vector<IncomingLead> leads) {
    (void)q.Enqueue(leads, {}, std::nullopt, clock_.Now());
  }
  std::vector<std::string> Keys(const std::vector<QueuedRecord>& records) {
    std::vector<std::string> keys;
    for (const auto& r : records) keys.push_back(r.key);
    return keys;
  }

  TempDir dir_;
  ManualTimeSource clock_;
};

TEST_F(QueueTest, CoalescesChangesToOneKeyWhilePending) {
  auto q = Open();
  EnqueueResult r = q->Enqueue(
      std::vector{Change("A@x.com", {{"FirstName", "Ann"}, {"City", "Pune"}}),
                  Change("b@x.com", {{"FirstName", "Bob"}}), Change(" a@X.com", {{"FirstName", "Anna"}})},
      {}, std::nullopt, clock_.Now());
  EXPECT_EQ(r.inserted, 2);
  EXPECT_EQ(r.coalesced, 1);
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].key, "emailaddress:a@x.com");
  EXPECT_EQ(Decoded(batch[0]).Find("FirstName")->value, "Anna");
  EXPECT_EQ(Decoded(batch[0]).Find("City")->value, "Pune");
  // Values are sent as written: only the key is normalised.
  EXPECT_EQ(Decoded(batch[0]).Find("EmailAddress")->value, " a@X.com");
}

TEST_F(QueueTest, ClaimsOldestFirstUpToTheLimit) {
  auto q = Open();
  for (int i = 0; i < 30; ++i) Add(*q, {Change("u" + std::to_string(i) + "@x.com", {})});
  auto first = q->Claim(25, clock_.Now());
  ASSERT_EQ(first.size(), 25u);
  EXPECT_EQ(first.front().key, "emailaddress:u0@x.com");
  EXPECT_EQ(first.back().key, "emailaddress:u24@x.com");
  EXPECT_EQ(Keys(q->Claim(25, clock_.Now())).front(), "emailaddress:u25@x.com");
}

TEST_F(QueueTest, KeyInFlightIsNotClaimedAgainUntilSettled) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  ASSERT_EQ(batch.size(), 1u);
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  EXPECT_TRUE(q->Claim(25, clock_.Now()).empty());
  q->ApplySettlement({clock_.Now(), 200, {{batch[0].id, {1, "L1", true, false, 1, ""}}}, {}, {}, {}});
  auto next = q->Claim(25, clock_.Now());
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Decoded(next[0]).Find("FirstName")->value, "v2");
}

TEST_F(QueueTest, RetriedRecordMergesUnderTheNewerVersion) {
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
  EXPECT_EQ(Decoded(again[0]).Find("FirstName")->value, "v2");
  EXPECT_EQ(Decoded(again[0]).Find("City")->value, "Pune");
}

TEST_F(QueueTest, AckDeletesOnlyTheVersionSent) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  Add(*q, {Change("a@x.com", {{"FirstName", "v2"}})});
  q->ApplySettlement({clock_.Now(), 200, {{batch[0].id, {1, "L1", true, false, 1, ""}}}, {}, {}, {}});
  EXPECT_EQ(q->Backlog(), 1);
  EXPECT_EQ(q->History("emailaddress:a@x.com").size(), 1u);
}

TEST_F(QueueTest, InFlightRecordsReturnToPendingAfterReopen) {
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

TEST_F(QueueTest, CheckpointCommitsWithTheRecords) {
  auto q = Open();
  std::vector<Rejection> rejected = {{"spool", "", "f.csv:3", "no key", "x"}};
  (void)q->Enqueue(std::vector{Change("a@x.com", {}, "spool")}, rejected, CheckpointUpdate{"spool", "file-1"},
                   clock_.Now());
  EXPECT_EQ(q->ReadCheckpoint("spool").value, "file-1");
  QueueStats stats = q->Stats();
  EXPECT_EQ(stats.sources["spool"].ingested, 1);
  EXPECT_EQ(stats.dead_letter, 1);
  auto dead = q->DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].message, "f.csv:3: no key");
  EXPECT_FALSE(dead[0].status.has_value());
}

TEST_F(QueueTest, DeadLetterKeepsTheAnswerAndCanBeReplayed) {
  auto q = Open();
  Add(*q, {Change("a@x.com", {{"FirstName", "v1"}})});
  auto batch = q->Claim(25, clock_.Now());
  q->ApplySettlement(
      {clock_.Now(), 400, {}, {}, {{batch[0].id, "bad_request", 400, "MXInvalidException", "bad"}}, {}});
  EXPECT_EQ(q->Backlog(), 0);
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

TEST_F(QueueTest, CallStartsSurviveReopen) {
  {
    auto q = Open();
    Add(*q, {Change("a@x.com", {})});
    (void)q->Claim(25, clock_.Now());
  }
  auto q = Open();
  EXPECT_EQ(q->CallStartsSince(clock_.Now() - milliseconds(5000)).size(), 1u);
}

TEST_F(QueueTest, RefusesAFileThatIsNotADatabase) {
  testing::WriteFile(dir_ / "queue.db", std::string(8192, 'x'));
  try {
    Open();
    FAIL() << "opened garbage";
  } catch (const QueueError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("queue check"), std::string::npos) << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(dir_ / "queue.db"), 8192u);
}

}  // namespace
}  // namespace leadsync
