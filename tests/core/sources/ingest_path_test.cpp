// The steps of the one ingest path that every source shares: the commit
// (RoomUnder, CommitBatch) against a real SQLite queue, and the report
// (IngestReport) that counts, wakes and tells states from errors.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "core/queue/queue.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/ingest_commit.hpp"
#include "core/sources/ingest_report.hpp"
#include "core/sources/webhook_body.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

constexpr const char* kSource = "signups";

IngestOptions Options() { return IngestOptions{kSource, Mapping(), std::nullopt, {}}; }

class IngestPathTest : public ::testing::Test {
 protected:
  IngestBatch Batch(std::string_view jsonl) {
    return Ingest(jsonl, InputFormat::kJsonl, Options(), "in.jsonl");
  }

  testing::TempDir dir_;
  std::unique_ptr<Queue> queue_ = OpenQueue(QueueOptions{dir_ / "queue.db", false, false, true, true});
  ManualTimeSource clock_;
};

TEST(RoomUnder, ClampsAChunkToTheRoomLeftAndHoldsItBackWhenFull) {
  EXPECT_EQ(RoomUnder(0, 100, 10'000), 100u);
  EXPECT_EQ(RoomUnder(95, 100, 10'000), 5u);
  EXPECT_EQ(RoomUnder(0, 1'000'000, 10'000), 10'000u);
  EXPECT_EQ(RoomUnder(100, 100, 10'000), 0u);
  EXPECT_EQ(RoomUnder(150, 100, 10'000), 0u);
}

TEST_F(IngestPathTest, CommitsLeadsRejectionsAndTheCheckpointTogether) {
  const CommitOutcome outcome =
      CommitBatch(*queue_, Batch("{\"EmailAddress\":\"a@x.com\"}\n{\"FirstName\":\"no key\"}\n"),
                  CheckpointUpdate{kSource, "pos-1", 0}, clock_.Now());
  EXPECT_EQ(outcome.state, CommitOutcome::State::kCommitted);
  EXPECT_EQ(outcome.leads, 1u);
  EXPECT_EQ(outcome.result.inserted, 1);
  ASSERT_EQ(outcome.rejections.size(), 1u);
  EXPECT_EQ(outcome.rejections[0].category, "no_key");
  EXPECT_EQ(outcome.rejections[0].location, "in.jsonl:2");
  EXPECT_EQ(outcome.backlog, 1);
  EXPECT_EQ(queue_->ReadCheckpoint(kSource).value, "pos-1");
  EXPECT_EQ(queue_->Stats().dead_letter, 1);
}

// A lead whose call alone would pass leadsquared.max_request_bytes is
// dead-lettered at ingest, at its line, as too_large; its neighbours go on.
TEST_F(IngestPathTest, ALeadOverTheRequestCapAloneIsRejectedAsTooLarge) {
  IngestOptions options = Options();
  options.max_request_bytes = 2000;
  const std::string big = "{\"EmailAddress\":\"big@x.com\",\"mx_Notes\":\"" + std::string(2000, 'n') + "\"}";
  const IngestBatch batch =
      Ingest("{\"EmailAddress\":\"a@x.com\"}\n" + big + "\n{\"EmailAddress\":\"b@x.com\"}\n",
             InputFormat::kJsonl, options, "in.jsonl");
  ASSERT_EQ(batch.leads.size(), 2u);
  ASSERT_EQ(batch.rejections.size(), 1u);
  const Rejection& rejection = batch.rejections[0];
  EXPECT_EQ(rejection.category, "too_large");
  EXPECT_EQ(rejection.location, "in.jsonl:2");
  EXPECT_EQ(rejection.source, kSource);
  EXPECT_NE(rejection.reason.find("over 2000 (leadsquared.max_request_bytes)"), std::string::npos)
      << rejection.reason;
  EXPECT_EQ(rejection.record, big);

  options.max_request_bytes = 2088;  // the record's body alone, exactly
  EXPECT_TRUE(Ingest(big, InputFormat::kJsonl, options, "in.jsonl").rejections.empty());
}

TEST_F(IngestPathTest, AMovedCheckpointCommitsNothing) {
  queue_->ResetCheckpoint(kSource, "reset-here");
  const CommitOutcome outcome = CommitBatch(*queue_, Batch("{\"EmailAddress\":\"a@x.com\"}\n"),
                                            CheckpointUpdate{kSource, "pos-1", 0}, clock_.Now());
  EXPECT_EQ(outcome.state, CommitOutcome::State::kConflict);
  EXPECT_EQ(outcome.leads, 0u);
  EXPECT_EQ(queue_->ReadCheckpoint(kSource).value, "reset-here");
  EXPECT_EQ(queue_->Backlog(), 0);
}

// What the report sends on, as the daemon's SourceSet would see it.
struct Seen {
  int ingested = 0;
  int woken = 0;
  std::vector<std::string> errors;
  std::vector<std::string> states;
  std::vector<std::string> reasons;
};

SourceEvents Recording(Seen& seen) {
  SourceEvents events{[&seen](const std::string&, const EnqueueResult&, std::span<const Rejection> rejected) {
                        ++seen.ingested;
                        for (const Rejection& r : rejected)
                          seen.reasons.push_back(r.category + ": " + r.reason);
                      },
                      [&seen](const std::string&, const std::string& what) { seen.errors.push_back(what); },
                      [&seen] { ++seen.woken; }};
  events.on_state = [&seen](const std::string&, const std::string& what) { seen.states.push_back(what); };
  return events;
}

class IngestReportTest : public IngestPathTest {
 protected:
  IngestReportTest() : context_{io_.get_executor(), service_, Recording(seen_), backpressure_, loop_clock_} {}

  boost::asio::io_context io_;
  testing::ManualClock loop_clock_{io_.get_executor()};
  QueueService service_{OpenQueue(QueueOptions{dir_ / "report.db", false, false, true, true}),
                        QueueService::Threading::kInline};
  Backpressure backpressure_{io_.get_executor(), 2};
  Seen seen_;
  SourceContext context_;
  IngestReport report_{context_, kSource};
};

TEST_F(IngestReportTest, WakesTheDispatcherOnceAfterACommitThatHoldsLeads) {
  report_.Committed(CommitBatch(*queue_,
                                Batch("{\"EmailAddress\":\"a@x.com\"}\n{\"EmailAddress\":\"b@x.com\"}\n"),
                                std::nullopt, clock_.Now()));
  EXPECT_EQ(seen_.ingested, 1);
  EXPECT_EQ(seen_.woken, 1) << "one wake-up per commit, not per lead";
  EXPECT_EQ(backpressure_.backlog(), 2);

  report_.Committed(CommitBatch(*queue_, Batch("{\"FirstName\":\"no key\"}\n"), std::nullopt, clock_.Now()));
  EXPECT_EQ(seen_.ingested, 2);
  EXPECT_EQ(seen_.woken, 1) << "nothing new to send: no wake-up";
}

TEST_F(IngestReportTest, BackpressureIsAStateReportedOnceNotASourceError) {
  report_.Full(2, "queue backlog at max_pending");
  report_.Full(2, "queue backlog at max_pending");
  EXPECT_TRUE(backpressure_.Full());
  EXPECT_EQ(seen_.states.size(), 1u);
  EXPECT_TRUE(seen_.errors.empty());
  report_.Committed(
      CommitBatch(*queue_, Batch("{\"EmailAddress\":\"a@x.com\"}\n"), std::nullopt, clock_.Now()));
  report_.Full(2, "queue backlog at max_pending");
  EXPECT_EQ(seen_.states.size(), 2u) << "a new stretch of backpressure is told again";
}

TEST_F(IngestReportTest, AFailureIsASourceErrorOncePerKeyWhileItLasts) {
  report_.Error("file", "cannot read a.csv");
  report_.Error("file", "cannot read a.csv");
  EXPECT_EQ(seen_.errors.size(), 1u);
  report_.Clear("file");
  report_.Error("file", "cannot read a.csv");
  EXPECT_EQ(seen_.errors.size(), 2u);
  report_.Notice("a.csv rotated");
  EXPECT_EQ(seen_.errors.size(), 2u);
  EXPECT_EQ(seen_.states.size(), 1u);
}

// A record without a key from a file and from a webhook body: the same step
// rejects it, with the same reason label and message.
TEST_F(IngestPathTest, FilesAndWebhookBodiesRejectThroughTheSameStep) {
  const IngestBatch file = Batch("{\"FirstName\":\"Ada\"}\n");
  const WebhookBody body = DecodeWebhookBody("{\"FirstName\":\"Ada\"}", Options());
  ASSERT_EQ(file.rejections.size(), 1u);
  ASSERT_TRUE(body.problem);
  EXPECT_EQ(body.problem->category, file.rejections[0].category);
  EXPECT_NE(body.problem->error.find(file.rejections[0].reason), std::string::npos)
      << body.problem->error << " / " << file.rejections[0].reason;
}

}  // namespace
}  // namespace leadsync
