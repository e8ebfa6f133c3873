// The dispatcher against a real SQLite queue, a scripted API and simulated
// time: splitting, pausing, refusals in every form, adaptation and
// supervision, each in milliseconds of real time.
#include "core/dispatch/dispatcher.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <deque>
#include <functional>

#include "core/codec/api_body.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"
#include "core/tasks/supervisor.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/scripted_api.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ManualClock;
using testing::PostedCall;
using testing::RunSimulated;
using testing::ScriptedApi;

DispatcherOptions Settings() {
  DispatcherOptions o;
  o.linger = milliseconds(500);
  o.backoff = {milliseconds(1000), milliseconds(8000)};
  o.retry.max_record_age = milliseconds(0);
  o.pause_probe = seconds(60);
  return o;
}

std::string Email(int i) { return "p" + std::to_string(i) + "@example.com"; }

// The dispatch role of a real queue that fails one settlement, as a full
// disk or a damaged page would.
class FailingOnce final : public DispatchQueue {
 public:
  explicit FailingOnce(DispatchQueue& queue) : queue_(queue) {}
  bool armed = false;
  std::function<void()> on_claim;  // runs inside every claim, as a busy queue thread's delay would

  using DispatchQueue::Claim;
  Readiness ReadReadiness(int limit, TimePoint now) override { return queue_.ReadReadiness(limit, now); }
  std::vector<QueuedRecord> Claim(const ClaimLimit& limit, TimePoint now,
                                  const WithClaim& with_claim) override {
    if (on_claim) on_claim();
    return queue_.Claim(limit, now, with_claim);
  }
  void ApplySettlement(const Settlement& s) override {
    if (std::exchange(armed, false)) throw QueueError("disk I/O error (injected)");
    queue_.ApplySettlement(s);
  }
  std::int64_t ReturnInFlight(TimePoint now) override { return queue_.ReturnInFlight(now); }
  std::int64_t TakeUnreadableCount() override { return queue_.TakeUnreadableCount(); }
  std::vector<TimePoint> CallStartsSince(TimePoint t) override { return queue_.CallStartsSince(t); }
  void AddCallStart(TimePoint t) override { queue_.AddCallStart(t); }
  void PruneCallStarts(TimePoint t) override { queue_.PruneCallStarts(t); }
  std::vector<LearnedLimit> LearnedLimits() override { return queue_.LearnedLimits(); }
  void ReplaceLearnedLimits(std::span<const LearnedLimit> l) override { queue_.ReplaceLearnedLimits(l); }

 private:
  DispatchQueue& queue_;
};

class DispatcherTest : public ::testing::Test {
 protected:
  void Start(DispatcherOptions settings = Settings()) {
    dispatcher_ = MakeDispatcher(settings);
    asio::co_spawn(io_, dispatcher_->Run(), [this](const std::exception_ptr& e) {
      finished_ = true;
      failure_ = e;
    });
  }

  void Enqueue(int first, int count, const std::string& marker = "") {
    std::vector<IncomingLead> leads;
    for (int i = first; i < first + count; ++i) {
      Lead lead(std::vector<Attribute>{{"EmailAddress", Email(i)},
                                       {"FirstName", "N" + std::to_string(i) + marker}});
      leads.push_back({*LeadKey(lead), "test", lead});
    }
    (void)queue_->queue().Enqueue(leads, {}, std::nullopt, clock_.Now());
    if (dispatcher_) dispatcher_->Notify();
  }

  std::unique_ptr<Dispatcher> MakeDispatcher(DispatcherOptions settings = Settings()) {
    return std::make_unique<Dispatcher>(io_.get_executor(), QueueRole<DispatchQueue>(*queue_, *failing_),
                                        metrics_, settings, api_, clock_);
  }

  bool Settled() { return queue_->queue().Stats().pending == 0 && queue_->queue().Stats().in_flight == 0; }

  [[nodiscard]] bool RunUntil(const std::function<bool()>& done, Duration limit = seconds(600)) {
    return RunSimulated(io_, clock_, done, limit);
  }

  double Metric(const std::string& series) {
    const std::string text = metrics_.Serialize();
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }

  testing::TempDir dir_;
  asio::io_context io_;
  ManualClock clock_{io_.get_executor()};
  Metrics metrics_{{"test"}};
  std::unique_ptr<QueueService> queue_ = std::make_unique<QueueService>(
      OpenQueue({dir_ / "queue.db", false, false, true, true}), QueueService::Threading::kInline);
  std::unique_ptr<FailingOnce> failing_ = std::make_unique<FailingOnce>(queue_->queue());
  std::shared_ptr<ScriptedApi> api_ = std::make_shared<ScriptedApi>(clock_);
  std::unique_ptr<Dispatcher> dispatcher_;
  bool finished_ = false;
  std::exception_ptr failure_;
};

TEST_F(DispatcherTest, SendsAFullBatchAtOnceAndAPartialOneAfterLinger) {
  Enqueue(0, 30);
  const TimePoint start = clock_.Now();
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_EQ(api_->calls().size(), 2u);
  EXPECT_EQ(api_->calls()[0].emails.size(), 25u);
  EXPECT_EQ(api_->calls()[0].at, start);
  EXPECT_EQ(api_->calls()[1].emails.size(), 5u);
  EXPECT_EQ(api_->calls()[1].at, start + milliseconds(500)) << "the partial batch lingers";
  EXPECT_EQ(Metric("leadsync_records_delivered_total{result=\"created\"}"), 30);
}

// leadsquared.max_request_bytes: ready records that together pass the cap go
// out in several calls, each body under it and as full as the cap allows.
TEST_F(DispatcherTest, CutsBatchesSoThatNoBodyPassesTheByteCap) {
  Enqueue(0, 30);
  DispatcherOptions settings = Settings();
  settings.max_request_bytes = 1000;  // about 11 of these 85-byte records
  Start(settings);
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_GE(api_->calls().size(), 3u);
  std::size_t records = 0;
  for (const PostedCall& call : api_->calls()) {
    EXPECT_LE(call.body.size(), 1000u);
    records += call.emails.size();
  }
  EXPECT_EQ(records, 30u);
  // The second call's first record would not have fit in the first call.
  const std::string& second = api_->calls()[1].body;
  const std::size_t end = second.find("],[");
  const std::size_t record = end == std::string::npos ? second.size() - 2 : end;
  EXPECT_GT(api_->calls()[0].body.size() + 1 + record, 1000u) << "the first call took every record that fit";
  EXPECT_EQ(api_->calls()[0].emails.front(), Email(0));
}

TEST_F(DispatcherTest, SplitsOnBadRequestUntilThePoisonStandsAlone) {
  Enqueue(0, 25);
  Enqueue(7, 1, "POISON");
  api_->SetScript([](const PostedCall& call, int) {
    return call.body.find("POISON") != std::string::npos
               ? testing::Answer(400, R"({"Status":"Error","ExceptionType":"MXInvalidInputException"})")
               : testing::AcceptAll(call);
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  const auto dead = queue_->queue().DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].key, "emailaddress:" + Email(7));
  EXPECT_EQ(dead[0].reason, "bad_request");
  EXPECT_EQ(dead[0].status, 400);
  EXPECT_LE(api_->calls().size(), 11u) << "25 -> 13 -> 7 -> 4 -> 2 -> 1";
  EXPECT_EQ(Metric("leadsync_records_delivered_total{result=\"created\"}"), 24);
}

TEST_F(DispatcherTest, MxExceptionAloneIsTriedThreeTimesWithBackoff) {
  Enqueue(0, 1, "POISON");
  api_->SetScript([](const PostedCall&, int) {
    return testing::Answer(500, R"({"Status":"Error","ExceptionType":"MXDuplicateEntryException"})");
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_EQ(api_->calls().size(), 3u);
  EXPECT_GT(api_->calls()[2].at, api_->calls()[1].at + milliseconds(300)) << "backed off";
  const auto dead = queue_->queue().DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].reason, "data_error");
  EXPECT_EQ(dead[0].exception_type, "MXDuplicateEntryException");
}

// A refusal is a refusal under 429, 403 and 200 alike: never a pause, the
// records are sent again, and the stated limit holds from then on.
class RefusalForm : public DispatcherTest, public ::testing::WithParamInterface<int> {};

TEST_P(RefusalForm, LearnsTheStatedLimitAndNeverPauses) {
  const int status = GetParam();
  Enqueue(0, 500);
  std::deque<TimePoint> accepted;
  int refused = 0;
  api_->SetScript([&](const PostedCall& call, int) {
    while (!accepted.empty() && accepted.front() + seconds(5) <= call.at) accepted.pop_front();
    if (accepted.size() >= 10) {
      ++refused;
      return testing::Refusal(status, 10, 5);
    }
    accepted.push_back(call.at);
    return testing::AcceptAll(call);
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  EXPECT_FALSE(dispatcher_->paused());
  EXPECT_EQ(Metric("leadsync_dispatch_paused"), 0);
  EXPECT_EQ(dispatcher_->effective_rate_limit(), 10);
  EXPECT_EQ(Metric("leadsync_rate_limit_effective"), 10);
  EXPECT_EQ(Metric("leadsync_records_delivered_total{result=\"created\"}"), 500);
  // Only the calls already on their way when the first refusal came back.
  EXPECT_LE(refused, 8);
  EXPECT_EQ(api_->calls().size(), 20u + static_cast<std::size_t>(refused));
}

INSTANTIATE_TEST_SUITE_P(Dispatcher, RefusalForm, ::testing::Values(429, 403, 200));

TEST_F(DispatcherTest, MxExceptionInAnOkAnswerIsTriedLikeOneUnder500) {
  Enqueue(0, 1);
  api_->SetScript([](const PostedCall&, int) {
    return testing::Answer(200, R"({"Status":"Error","ExceptionType":"MXDuplicateEntryException"})");
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  EXPECT_EQ(api_->calls().size(), 3u);
  ASSERT_EQ(queue_->queue().DeadLetters().size(), 1u);
  EXPECT_EQ(queue_->queue().DeadLetters()[0].reason, "data_error");
  EXPECT_EQ(queue_->queue().DeadLetters()[0].status, 200);
}

// max_record_age covers refusals too: a record refused for longer than that
// is given up, not retried forever.
TEST_F(DispatcherTest, RefusedRecordsExpireAfterMaxRecordAge) {
  Enqueue(0, 2);
  api_->SetScript([](const PostedCall&, int) { return testing::Refusal(429); });
  auto settings = Settings();
  settings.retry.max_record_age = seconds(30);
  Start(settings);
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  const auto dead = queue_->queue().DeadLetters();
  ASSERT_EQ(dead.size(), 2u);
  EXPECT_EQ(dead[0].reason, "expired");
  EXPECT_GE(api_->calls().back().at - api_->calls().front().at, seconds(29));
}

TEST_F(DispatcherTest, ProbeNowEndsAPauseWithoutWaitingForPauseProbe) {
  Enqueue(0, 1);
  api_->SetScript([](const PostedCall& call, int index) {
    return index == 0 ? testing::Answer(401, "") : testing::AcceptAll(call);
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return dispatcher_->paused(); }));
  const TimePoint paused_at = clock_.Now();
  dispatcher_->ProbeNow();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  EXPECT_LT(api_->calls()[1].at - paused_at, seconds(2));
}

TEST_F(DispatcherTest, AuthFailurePausesAndTheProbeResumes) {
  Enqueue(0, 3);
  api_->SetScript([](const PostedCall& call, int index) {
    return index == 0 ? testing::Answer(401, R"({"Status":"Error","ExceptionMessage":"bad keys"})")
                      : testing::AcceptAll(call);
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return dispatcher_->paused(); }));
  EXPECT_EQ(Metric("leadsync_dispatch_paused"), 1);
  EXPECT_EQ(queue_->queue().Stats().pending, 3) << "nothing is dropped while paused";
  const TimePoint paused_at = clock_.Now();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  EXPECT_FALSE(dispatcher_->paused());
  ASSERT_EQ(api_->calls().size(), 2u);
  EXPECT_GE(api_->calls()[1].at, paused_at + seconds(59)) << "the probe waits pause_probe";
}

TEST_F(DispatcherTest, ForbiddenWithoutARefusalPauses) {
  Enqueue(0, 1);
  api_->SetScript([](const PostedCall&, int) { return testing::Answer(403, "Forbidden"); });
  Start();
  ASSERT_TRUE(RunUntil([&] { return dispatcher_->paused(); }));
}

TEST_F(DispatcherTest, TransientFailuresBackOffAndDeliver) {
  Enqueue(0, 5);
  api_->SetScript([](const PostedCall& call, int index) {
    return index < 3 ? testing::Answer(503, "") : testing::AcceptAll(call);
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  EXPECT_EQ(api_->calls().size(), 4u);
  EXPECT_EQ(Metric("leadsync_retries_total{reason=\"server_error\"}"), 3);
}

TEST_F(DispatcherTest, UnreadableRowIsDeadLetteredAndDispatchGoesOn) {
  Enqueue(0, 3);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "queue.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "UPDATE records SET lead = '{not json' WHERE key = 'emailaddress:p1@example.com'",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  const auto dead = queue_->queue().DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].reason, "unreadable");
  EXPECT_EQ(dead[0].record, "{not json");
  EXPECT_EQ(Metric("leadsync_records_dead_lettered_total{reason=\"unreadable\"}"), 1);
  ASSERT_EQ(api_->calls().size(), 1u);
  EXPECT_EQ(api_->calls()[0].emails, (std::vector<std::string>{Email(0), Email(2)}));
}

// A failing queue ends Run(); the supervisor reports it, puts the claimed
// records back, and the restarted dispatcher delivers them.
TEST_F(DispatcherTest, SupervisorRestartsAFailedDispatcherAndReturnsItsClaims) {
  Enqueue(0, 10);
  failing_->armed = true;
  std::vector<std::string> failures;
  std::vector<bool> states;
  Supervisor supervisor("dispatcher", clock_,
                        {[&](const std::string&, const std::string& what) { failures.push_back(what); },
                         [&](const std::string&, bool up) { states.push_back(up); }});
  dispatcher_ = MakeDispatcher();
  bool stopping = false;
  auto recover = [&]() -> asio::awaitable<void> {
    co_await dispatcher_->Quiesce();
    (void)queue_->queue().ReturnInFlight(clock_.Now());
  };
  asio::co_spawn(io_, supervisor.Run([&] { return dispatcher_->Run(); }, recover, stopping),
                 [&](const std::exception_ptr&) { finished_ = true; });
  ASSERT_TRUE(RunUntil([&] { return Settled() && api_->calls().size() == 2; }));
  EXPECT_EQ(failures, std::vector<std::string>{"disk I/O error (injected)"});
  EXPECT_EQ(states, (std::vector<bool>{true, false, true}));
  EXPECT_GE(api_->calls()[1].at - api_->calls()[0].at, seconds(1)) << "restarted after a pause";
  EXPECT_EQ(api_->calls()[1].emails.size(), 10u) << "the claimed records were sent again";
  dispatcher_->Stop();
  ASSERT_TRUE(RunUntil([&] { return finished_; }));
}

// A full disk fails the return of the claims too: the dispatcher runs again
// only once they are back, so none stays in flight for good.
TEST_F(DispatcherTest, SupervisorRetriesTheReturnBeforeRunningAgain) {
  Enqueue(0, 10);
  failing_->armed = true;
  std::vector<std::string> failures;
  Supervisor supervisor("dispatcher", clock_,
                        {[&](const std::string&, const std::string& what) { failures.push_back(what); }, {}});
  dispatcher_ = MakeDispatcher();
  bool stopping = false;
  int returns = 0;
  auto recover = [&]() -> asio::awaitable<void> {
    co_await dispatcher_->Quiesce();
    if (++returns <= 2) throw std::runtime_error("database or disk is full");
    (void)queue_->queue().ReturnInFlight(clock_.Now());
  };
  asio::co_spawn(io_, supervisor.Run([&] { return dispatcher_->Run(); }, recover, stopping),
                 [&](const std::exception_ptr&) { finished_ = true; });
  ASSERT_TRUE(RunUntil([&] { return Settled() && api_->calls().size() == 2; }));
  EXPECT_EQ(returns, 3);
  EXPECT_EQ(failures, (std::vector<std::string>{"disk I/O error (injected)", "database or disk is full",
                                                "database or disk is full"}));
  // Pauses of 1 s and 2 s between the returns, 4 s before the run.
  EXPECT_GE(api_->calls()[1].at - api_->calls()[0].at, seconds(7));
  EXPECT_EQ(api_->calls()[1].emails.size(), 10u) << "the claimed records were sent again";
  dispatcher_->Stop();
  ASSERT_TRUE(RunUntil([&] { return finished_; }));
}

TEST_F(DispatcherTest, RateLimitWaitCountsEachWaitOnce) {
  Enqueue(0, 75);
  auto settings = Settings();
  settings.rate_limit = {{1, seconds(1)}};
  Start(settings);
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_EQ(api_->calls().size(), 3u);
  // Two waits of one window (1 s + the 50 ms margin) each.
  EXPECT_NEAR(Metric("leadsync_rate_limit_wait_seconds_total"), 2.10, 0.001);
}

// A busy queue thread delays each call past its claim: the call persists a
// later start before it leaves, so that every call the server saw has a
// persisted start at most kSendAllowance before it (what a restart counts).
TEST_F(DispatcherTest, ACallLeavesWithinTheAllowanceOfAPersistedStart) {
  Enqueue(0, 60);  // two full batches and a partial one that lingers
  failing_->on_claim = [&] { clock_.Advance(milliseconds(400)); };
  auto settings = Settings();
  settings.rate_limit = {{1, seconds(1)}};  // calls a second apart: no start serves two
  const TimePoint begin = clock_.Now();
  Start(settings);
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_EQ(api_->calls().size(), 3u);
  const std::vector<TimePoint> starts = queue_->queue().CallStartsSince(begin);
  for (const PostedCall& call : api_->calls()) {
    EXPECT_TRUE(
        std::any_of(starts.begin(), starts.end(),
                    [&](TimePoint p) { return p <= call.at && call.at <= p + CallLedger::kSendAllowance; }))
        << "no persisted start within the allowance before the call at +" << (call.at - begin).count()
        << " ms";
  }
}

// Starts a previous process persisted count kSendAllowance later: its calls
// may have left that long after them.
TEST_F(DispatcherTest, RestoredStartsCountTheAllowanceLater) {
  auto settings = Settings();
  settings.rate_limit = {{2, seconds(5)}};
  const TimePoint first = clock_.Now() - milliseconds(4000);
  queue_->queue().AddCallStart(first);
  queue_->queue().AddCallStart(first + milliseconds(100));
  Enqueue(0, 1);
  Start(settings);
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_EQ(api_->calls().size(), 1u);
  EXPECT_GE(api_->calls()[0].at, first + seconds(5) + CallLedger::kSendAllowance);
}

// A 200 answer may refuse single rows: each carries its reason into the
// dead-letter store and the journal, mapped by RowNumber.
TEST_F(DispatcherTest, FailedRowOfAnOkAnswerKeepsItsReason) {
  Enqueue(0, 3);
  api_->SetScript([](const PostedCall&, int) {
    return testing::Answer(200, R"([{"RowNumber":1,"LeadId":"L0","LeadCreated":true},
        {"RowNumber":3,"LeadId":"L2","LeadUpdated":true},
        {"RowNumber":2,"LeadId":null,"ErrorMessage":"Invalid Phone format"}])");
  });
  Start();
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  const auto dead = queue_->queue().DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].key, "emailaddress:" + Email(1));
  EXPECT_EQ(dead[0].reason, "rejected_row");
  EXPECT_EQ(dead[0].message, "Invalid Phone format");
  const auto history = queue_->queue().History("emailaddress:" + Email(1));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].message, "Invalid Phone format");
  EXPECT_EQ(queue_->queue().History("emailaddress:" + Email(2)).at(0).lead_id, "L2");
}

TEST_F(DispatcherTest, NewerChangeToAKeyInFlightWaitsAndMerges) {
  Enqueue(0, 1);
  Start();
  ASSERT_TRUE(RunUntil([&] { return api_->calls().size() == 1; }));
  Enqueue(0, 1, "-newer");
  ASSERT_TRUE(RunUntil([&] { return Settled(); }));
  ASSERT_EQ(api_->calls().size(), 2u);
  EXPECT_NE(api_->calls()[1].body.find("N0-newer"), std::string::npos);
  EXPECT_GE(api_->calls()[1].at, api_->calls()[0].at + milliseconds(300))
      << "never two calls for one key at once";
}

}  // namespace
}  // namespace leadsync
