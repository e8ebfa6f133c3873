// The call-start ledger against a real SQLite queue on simulated time: what
// it counts, what it persists and when, what a restart counts.
#include "core/dispatch/call_ledger.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <functional>

#include "tests/support/manual_clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

namespace asio = boost::asio;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ManualClock;

constexpr Duration kAllowance = CallLedger::kSendAllowance;

// The queue's call starts, with a hook that runs inside each persist, as
// the time a busy queue thread takes would.
class DelayedStore final : public CallStartStore {
 public:
  explicit DelayedStore(CallStartStore& store) : store_(store) {}
  std::function<void()> on_add;

  std::vector<TimePoint> CallStartsSince(TimePoint t) override { return store_.CallStartsSince(t); }
  void AddCallStart(TimePoint t) override {
    if (on_add) on_add();
    store_.AddCallStart(t);
  }
  void PruneCallStarts(TimePoint t) override { store_.PruneCallStarts(t); }
  std::vector<LearnedLimit> LearnedLimits() override { return store_.LearnedLimits(); }
  void ReplaceLearnedLimits(std::span<const LearnedLimit> l) override { store_.ReplaceLearnedLimits(l); }

 private:
  CallStartStore& store_;
};

RateLimiterOptions Limit(int requests, Duration per) {
  RateLimiterOptions o;
  o.windows = {{requests, per}};
  o.margin = milliseconds(10);
  return o;
}

RateLimiterOptions Limits(std::vector<RateWindow> windows) {
  RateLimiterOptions o;
  o.windows = std::move(windows);
  o.margin = milliseconds(10);
  return o;
}

class CallLedgerTest : public ::testing::Test {
 protected:
  template <class T>
  T Await(asio::awaitable<T> work) {
    auto result = asio::co_spawn(io_, std::move(work), asio::use_future);
    io_.restart();
    io_.run();
    return result.get();
  }
  std::vector<TimePoint> Persisted() { return service_.queue().CallStartsSince(TimePoint{}); }

  testing::TempDir dir_;
  asio::io_context io_;
  ManualClock clock_{io_.get_executor()};
  QueueService service_{OpenQueue({dir_ / "queue.db", false, false, true, true}),
                        QueueService::Threading::kInline};
  DelayedStore store_{service_.queue()};
  RateLimiter limiter_{Limit(1, seconds(1))};
  CallLedger ledger_{QueueRole<CallStartStore>(service_, store_), limiter_, clock_};
};

TEST_F(CallLedgerTest, StartNowCountsAndPersistsTheStart) {
  const TimePoint t = clock_.Now();
  EXPECT_EQ(Await(ledger_.StartNow()), t);
  EXPECT_EQ(Persisted(), std::vector<TimePoint>{t});
  EXPECT_EQ(limiter_.NextStart(t), t + milliseconds(1010));
}

TEST_F(CallLedgerTest, ReserveTakesTheSlotOnlyWhileItIsFree) {
  const TimePoint t = clock_.Now();
  EXPECT_EQ(ledger_.Reserve(t), t);
  EXPECT_EQ(ledger_.Reserve(t + milliseconds(500)), std::nullopt) << "one call per second";
  EXPECT_EQ(limiter_.NextStart(t), t + milliseconds(1010));
  EXPECT_TRUE(Persisted().empty()) << "a reserved start was persisted by its claim";
}

TEST_F(CallLedgerTest, RecordCountsAStartWithoutATrip) {
  const TimePoint t = clock_.Now();
  ledger_.Record(t);
  EXPECT_EQ(limiter_.NextStart(t), t + milliseconds(1010));
  EXPECT_TRUE(Persisted().empty());
}

TEST_F(CallLedgerTest, ClaimPersistsTheStartItIsFor) {
  const TimePoint t = clock_.Now();
  Lead lead(std::vector<Attribute>{{"EmailAddress", "a@x.com"}});
  (void)service_.queue().Enqueue(std::vector<IncomingLead>{{*LeadKey(lead), "s", lead}}, {}, std::nullopt, t);
  ASSERT_EQ(service_.queue().Claim(25, t, CallLedger::PersistWithClaim(t)).size(), 1u);
  EXPECT_EQ(Persisted(), std::vector<TimePoint>{t});
}

TEST_F(CallLedgerTest, ADepartureWithinTheAllowancePersistsNothingMore) {
  const TimePoint t = Await(ledger_.StartNow());
  clock_.Advance(kAllowance);
  EXPECT_EQ(Await(ledger_.Departure(t)), t + kAllowance);
  EXPECT_EQ(Persisted(), std::vector<TimePoint>{t});
  EXPECT_EQ(limiter_.NextStart(clock_.Now()), t + kAllowance + milliseconds(1010))
      << "the limiter counts the call from when it left";
}

TEST_F(CallLedgerTest, ALateDeparturePersistsALaterStartFirst) {
  const TimePoint t = Await(ledger_.StartNow());
  clock_.Advance(milliseconds(400));
  const TimePoint sent = Await(ledger_.Departure(t));
  EXPECT_EQ(sent, t + milliseconds(400));
  EXPECT_EQ(Persisted(), (std::vector<TimePoint>{t, sent}));
  EXPECT_EQ(limiter_.NextStart(sent), sent + milliseconds(1010));
}

// The persisting itself may take longer than the allowance: then it persists
// again, so that the call still leaves within the allowance of a start.
TEST_F(CallLedgerTest, ADepartureKeepsPersistingUntilItLeavesWithinTheAllowance) {
  const TimePoint t = Await(ledger_.StartNow());
  clock_.Advance(milliseconds(400));
  int slow = 1;
  store_.on_add = [&] {
    if (slow-- > 0) clock_.Advance(milliseconds(300));
  };
  const TimePoint sent = Await(ledger_.Departure(t));
  EXPECT_EQ(sent, t + milliseconds(700));
  EXPECT_EQ(Persisted(), (std::vector<TimePoint>{t, t + milliseconds(400), t + milliseconds(700)}));
}

// Starts a previous process persisted count kSendAllowance later: its calls
// may have left that long after them. Restoring happens once.
TEST_F(CallLedgerTest, RestoredStartsCountTheAllowanceLaterAndOnce) {
  RateLimiter limiter(Limit(2, seconds(5)));
  CallLedger ledger(QueueRole<CallStartStore>(service_, store_), limiter, clock_);
  const TimePoint now = clock_.Now();
  service_.queue().AddCallStart(now - milliseconds(4000));
  service_.queue().AddCallStart(now - milliseconds(3900));
  Await(ledger.Restore());
  EXPECT_EQ(limiter.NextStart(now), now - milliseconds(4000) + kAllowance + milliseconds(5010));
  service_.queue().AddCallStart(now - milliseconds(100));
  Await(ledger.Restore());
  EXPECT_EQ(limiter.NextStart(now), now - milliseconds(4000) + kAllowance + milliseconds(5010));
}

// The queue keeps what the longest window needs, and an hour at least.
TEST_F(CallLedgerTest, PruneBeforeKeepsWhatTheLongestWindowNeeds) {
  const TimePoint now = clock_.Now();
  EXPECT_EQ(ledger_.PruneBefore(now), now - CallLedger::kKeepAtLeast);
  (void)limiter_.OnRefused(now, now, StatedLimit{10, hours(2)}, std::nullopt);
  EXPECT_EQ(ledger_.PruneBefore(now), now - hours(2) - milliseconds(10) - kAllowance);
}

// Several windows hold across a restart: the short one and the long one
// both count the starts a previous process persisted.
TEST_F(CallLedgerTest, EveryWindowCountsTheStartsOfAPreviousProcess) {
  const std::vector<RateWindow> windows = {{2, seconds(1)}, {4, seconds(60)}};
  const TimePoint first = clock_.Now();
  {
    RateLimiter limiter(Limits(windows));
    CallLedger ledger(QueueRole<CallStartStore>(service_, store_), limiter, clock_);
    Await(ledger.Restore());
    for (int i = 0; i < 4; ++i) {
      clock_.AdvanceTo(limiter.NextStart(clock_.Now()));
      (void)Await(ledger.StartNow());
    }
    EXPECT_EQ(limiter.NextStart(clock_.Now()), first + milliseconds(60'010)) << "the long window is full";
  }
  RateLimiter limiter(Limits(windows));
  CallLedger ledger(QueueRole<CallStartStore>(service_, store_), limiter, clock_);
  Await(ledger.Restore());
  EXPECT_EQ(limiter.NextStart(clock_.Now()), first + kAllowance + milliseconds(60'010))
      << "a restart does not reopen the long window";
}

// A limit a refusal stated is kept in the queue file: a restarted daemon
// knows it before its first call.
TEST_F(CallLedgerTest, LearnedLimitsSurviveARestart) {
  const TimePoint now = clock_.Now();
  {
    RateLimiter limiter(Limit(25, seconds(5)));
    CallLedger ledger(QueueRole<CallStartStore>(service_, store_), limiter, clock_);
    ASSERT_TRUE(limiter.OnRefused(now, now, StatedLimit{10000, hours(24)}, std::nullopt).learned_limit);
    ASSERT_TRUE(limiter.OnRefused(now, now, StatedLimit{5, seconds(5)}, std::nullopt).learned_limit);
    Await(ledger.KeepLearned());
  }
  RateLimiter limiter(Limit(25, seconds(5)));
  CallLedger ledger(QueueRole<CallStartStore>(service_, store_), limiter, clock_);
  Await(ledger.Restore());
  EXPECT_EQ(limiter.Learned(),
            (std::vector<LearnedLimit>{{seconds(5), 5, 25}, {hours(24), 10000, std::nullopt}}));
  EXPECT_EQ(limiter.EffectiveLimit(), 5);
  EXPECT_EQ(limiter.Window(), hours(24) + milliseconds(10));
}

// Changing a window's configured value drops what was learned for it (and
// only for it), in the queue file too.
TEST_F(CallLedgerTest, ALearnedLimitGoesWhenItsWindowIsConfiguredAnew) {
  service_.queue().ReplaceLearnedLimits(
      std::vector<LearnedLimit>{{seconds(5), 5, 25}, {hours(24), 10000, std::nullopt}});
  RateLimiter limiter(Limit(10, seconds(5)));
  CallLedger ledger(QueueRole<CallStartStore>(service_, store_), limiter, clock_);
  Await(ledger.Restore());
  const std::vector<LearnedLimit> kept = {{hours(24), 10000, std::nullopt}};
  EXPECT_EQ(limiter.Learned(), kept);
  EXPECT_EQ(service_.queue().LearnedLimits(), kept);
  EXPECT_EQ(limiter.EffectiveLimit(), 10);
}

}  // namespace
}  // namespace leadsync
