#include "core/dispatch/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>

#include "core/codec/api_body.hpp"
#include "core/dispatch/batch_plan.hpp"
#include "core/dispatch/batch_timing.hpp"
#include "core/dispatch/delivery_policy.hpp"
#include "core/metrics/metrics.hpp"

namespace leadsync {
namespace asio = boost::asio;

namespace {

// A record alone that keeps failing with an MX 500 is tried this often.
constexpr int kAloneDataErrorTries = 3;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// What one trip to the queue thread found: what is ready, and a full batch
// when it could be claimed at once.
struct Look {
  Readiness ready;
  std::vector<QueuedRecord> claimed;
  TimePoint claimed_at{};  // the call start the claim persisted
  std::int64_t unreadable = 0;
};

}  // namespace

Dispatcher::Dispatcher(asio::any_io_executor executor, QueueRole<DispatchQueue> queue, Metrics& metrics,
                       DispatcherOptions options, std::shared_ptr<BulkApi> api, Clock& clock)
    : executor_(std::move(executor)),
      queue_(queue),
      metrics_(metrics),
      options_(std::move(options)),
      api_(std::move(api)),
      clock_(clock),
      limiter_(RateLimiterOptionsFor(options_.rate_limit)),
      ledger_(queue_, limiter_, clock_),
      backoff_(options_.backoff),
      wake_(clock.MakeTimer()),
      log_(metrics) {
  metrics_.SetRateLimitEffective(limiter_.EffectiveLimit());
}

Dispatcher::~Dispatcher() = default;

void Dispatcher::Notify() {
  notified_ = true;
  wake_->Cancel();
}

void Dispatcher::Stop() {
  stopping_ = true;
  Notify();
}

void Dispatcher::Cancel() {
  api_->CancelAll();
  for (const std::weak_ptr<BulkApi>& weak : apis_) {
    if (auto api = weak.lock()) api->CancelAll();
  }
}

void Dispatcher::Reconfigure(DispatcherOptions options, std::shared_ptr<BulkApi> api) {
  options_ = std::move(options);
  // Calls in progress keep the old API alive until they end.
  std::erase_if(apis_, [](const std::weak_ptr<BulkApi>& weak) { return weak.expired(); });
  apis_.push_back(api_);
  api_ = std::move(api);
  limiter_.Reconfigure(RateLimiterOptionsFor(options_.rate_limit));
  keep_learned_ = true;
  backoff_.Reconfigure(options_.backoff);
  metrics_.SetRateLimitEffective(limiter_.EffectiveLimit());
  if (paused_) Resume();
  Notify();
}

asio::awaitable<void> Dispatcher::Sleep(std::optional<TimePoint> until) {
  if (std::exchange(notified_, false)) co_return;
  // Other processes (`leadsync enqueue`, `dlq replay`) add records without
  // telling us: look at the queue at least once a second.
  const TimePoint poll = Now() + Duration{1000};
  co_await wake_->WaitUntil(until ? std::min(*until, poll) : poll);
  notified_ = false;
}

asio::awaitable<void> Dispatcher::Run() {
  co_await ledger_.Restore();
  while (!stopping_ || in_flight_ > 0) {
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    if (stopping_) {
      co_await Sleep(std::nullopt);
    } else {
      co_await Step();
    }
  }
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

asio::awaitable<void> Dispatcher::Quiesce() {
  Cancel();
  while (in_flight_ > 0) co_await Sleep(std::nullopt);
  failure_ = nullptr;
}

// One step of the batcher: send a batch, or wait for a reason to look again.
asio::awaitable<void> Dispatcher::Step() {
  if (std::exchange(keep_learned_, false)) co_await ledger_.KeepLearned();
  if (in_flight_ >= options_.max_in_flight || (paused_ && in_flight_ > 0))
    co_return co_await Sleep(std::nullopt);
  if (paused_ && Now() < next_probe_) co_return co_await Sleep(next_probe_);
  const int size = options_.batch_size;
  const ClaimLimit limit{size, options_.max_request_bytes};
  const TimePoint checked = Now();
  // A full batch under a free slot is claimed in the same trip to the queue
  // thread as the look at what is ready: one hop per call instead of two.
  const bool claim_full = !stopping_ && limiter_.NextStart(checked) <= checked;
  Look look = co_await queue_.Submit([&](DispatchQueue& q) {
    Look l{q.ReadReadiness(size, checked), {}, {}, 0};
    if (claim_full && l.ready.ready >= size) {
      // Read here, not before the trip: the closer the persisted start is to
      // the send, the less often the ledger must persist a later one.
      l.claimed_at = clock_.Now();
      l.claimed = q.Claim(limit, l.claimed_at, CallLedger::PersistWithClaim(l.claimed_at));
    }
    l.unreadable = q.TakeUnreadableCount();
    return l;
  });
  log_.FoundUnreadable(look.unreadable);
  // Sent at once if the slot is still free, else (a split took it meanwhile)
  // once the limiter allows.
  if (!look.claimed.empty()) co_return Spawn(std::move(look.claimed), ledger_.Reserve(look.claimed_at));
  const BatchTiming timing = DecideBatchTiming(look.ready, size, options_.linger, Now());
  if (!timing.send_now || stopping_) co_return co_await Sleep(timing.wake_at);
  const TimePoint now = Now();
  if (const TimePoint start = limiter_.NextStart(now); start > now) co_return co_await WaitForSlot(start);
  ledger_.Record(now);
  auto [batch, unreadable] = co_await queue_.Submit([&](DispatchQueue& q) {
    return std::pair{q.Claim(limit, now, CallLedger::PersistWithClaim(now)), q.TakeUnreadableCount()};
  });
  log_.FoundUnreadable(unreadable);
  if (!batch.empty()) Spawn(std::move(batch), now);
}

// Waits for the limiter (the batch may fill meanwhile: the batcher looks
// again), counting only the time really spent waiting.
asio::awaitable<void> Dispatcher::WaitForSlot(TimePoint start) {
  const TimePoint before = Now();
  WarnIfWindowFull(before);
  co_await Sleep(start);
  metrics_.AddRateLimitWait(Seconds(std::min(Now(), start) - before));
}

void Dispatcher::Spawn(Records batch, std::optional<TimePoint> reserved) {
  ++in_flight_;
  metrics_.SetInFlight(in_flight_);
  asio::co_spawn(executor_, Call(std::move(batch), reserved, api_), [this](const std::exception_ptr& error) {
    if (error && !failure_) failure_ = error;
    Notify();
  });
}

asio::awaitable<void> Dispatcher::Call(Records batch, std::optional<TimePoint> reserved,
                                       std::shared_ptr<BulkApi> api) {
  std::exception_ptr error;
  try {
    co_await Deliver(std::move(batch), *api, reserved, 0);
  } catch (...) {
    error = std::current_exception();
  }
  --in_flight_;
  metrics_.SetInFlight(in_flight_);
  if (error) std::rethrow_exception(error);
}

asio::awaitable<void> Dispatcher::Deliver(Records records, BulkApi& api, std::optional<TimePoint> reserved,
                                          int alone_failures) {
  if (!reserved && !stopping_) reserved = co_await AcquireSlot();
  if (!reserved) co_return co_await Finish(SettleReturned(records, ApiOutcome{}, Now()));
  std::string body = BatchBody(records);
  const TimePoint sent = co_await ledger_.Departure(*reserved);
  const ApiOutcome outcome = co_await api.Post(std::move(body), records.size());
  log_.Answered(records, outcome, Now());
  const TimePoint now = Now();
  switch (outcome.kind) {
    case OutcomeKind::kOk:
      limiter_.OnAccepted(now);
      if (paused_) Resume();
      co_return co_await Finish(SettleAccepted(records, outcome, now, backoff_));
    case OutcomeKind::kRateLimited:
      co_await OnRefused(outcome, sent);
      log_.Retried(outcome.kind);
      co_return co_await Finish(SettleRefused(records, outcome, now, options_.retry));
    case OutcomeKind::kAuth:
    case OutcomeKind::kNotFound:
      Pause(outcome);
      co_return co_await Finish(SettleReturned(records, outcome, now));
    case OutcomeKind::kDataError:
      co_return co_await Split(std::move(records), outcome, api, alone_failures);
    case OutcomeKind::kTransient:
    case OutcomeKind::kNetwork:
    case OutcomeKind::kTimeout:
      // A fault is not a refusal: it says nothing about the limit.
      limiter_.OnAccepted(now);
      if (stopping_) co_return co_await Finish(SettleReturned(records, outcome, now));
      log_.Retried(outcome.kind);
      co_return co_await Finish(SettleTransient(records, outcome, now, backoff_, options_.retry));
  }
}

asio::awaitable<TimePoint> Dispatcher::AcquireSlot() {
  std::unique_ptr<Timer> timer = clock_.MakeTimer();
  for (TimePoint now = Now(), start = limiter_.NextStart(now); start > now;
       now = Now(), start = limiter_.NextStart(now)) {
    WarnIfWindowFull(now);
    co_await timer->WaitUntil(start);
    metrics_.AddRateLimitWait(Seconds(std::min(Now(), start) - now));
  }
  co_return co_await ledger_.StartNow();
}

// Halve until the offending records stand alone: 25 records cost at most ten
// extra calls to isolate one. A record alone is dead-lettered at once on a
// 400, and after kAloneDataErrorTries with backoff on an MX exception.
asio::awaitable<void> Dispatcher::Split(Records records, const ApiOutcome& outcome, BulkApi& api,
                                        int alone_failures) {
  if (records.size() > 1) {
    log_.RetriedAsHalves();
    const auto half = static_cast<std::ptrdiff_t>((records.size() + 1) / 2);
    Records second(records.begin() + half, records.end());
    records.resize(static_cast<std::size_t>(half));
    co_await Deliver(std::move(records), api, std::nullopt, 0);
    co_return co_await Deliver(std::move(second), api, std::nullopt, 0);
  }
  // A 400 is about the body; an MX exception (under 500, or a 200 carrying
  // one) may be a transient fault wearing an MX name.
  const bool mx = outcome.status != 400 && outcome.status != 413;
  if (mx && stopping_) co_return co_await Finish(SettleReturned(records, outcome, Now()));
  if (mx && alone_failures + 1 < kAloneDataErrorTries) {
    log_.Retried(outcome.kind);
    co_await clock_.MakeTimer()->WaitUntil(Now() + backoff_.Delay(alone_failures + 1));
    co_return co_await Deliver(std::move(records), api, std::nullopt, alone_failures + 1);
  }
  co_await Finish(
      SettleDead(records, outcome, Now(), mx ? dead_letter::kDataError : dead_letter::kBadRequest));
}

asio::awaitable<void> Dispatcher::Finish(Settlement settlement) {
  log_.FoundUnreadable(co_await queue_.Submit([&](DispatchQueue& q) {
    q.ApplySettlement(settlement);
    return q.TakeUnreadableCount();
  }));
  log_.Finished(settlement);
}

asio::awaitable<void> Dispatcher::OnRefused(const ApiOutcome& outcome, TimePoint sent) {
  const RefusalEffect effect = limiter_.OnRefused(sent, Now(), outcome.stated_limit, outcome.retry_after);
  metrics_.SetRateLimitEffective(limiter_.EffectiveLimit());
  if (!effect.learned_limit) co_return;
  log_.Learned(*outcome.stated_limit, options_.rate_limit);
  co_await ledger_.KeepLearned();
}

// A wait longer than the level's window is a full long window (a daily
// cap): worth one line, since nothing else moves until it ends.
void Dispatcher::WarnIfWindowFull(TimePoint now) {
  const std::optional<WindowUse> holding = limiter_.Holding(now);
  if (holding && holding->per > limiter_.LevelWindow()) log_.WindowFull(*holding, now);
}

void Dispatcher::Pause(const ApiOutcome& outcome) {
  next_probe_ = Now() + options_.pause_probe;
  if (paused_) return;
  paused_ = true;
  metrics_.SetPaused(true);
  spdlog::error(
      "dispatch paused: the API answered {} ({}); check leadsquared.access_key, secret_key and api_host, "
      "then reload (SIGHUP). Probing again every {} s; nothing is dropped meanwhile",
      outcome.status, outcome.message,
      std::chrono::duration_cast<std::chrono::seconds>(options_.pause_probe).count());
}

void Dispatcher::ProbeNow() {
  if (!paused_) return;
  next_probe_ = Now();
  Notify();
}

void Dispatcher::Resume() {
  paused_ = false;
  metrics_.SetPaused(false);
  spdlog::info("dispatch resumed");
  Notify();
}

}  // namespace leadsync
