#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "core/dispatch/backoff.hpp"
#include "core/dispatch/call_ledger.hpp"
#include "core/dispatch/call_log.hpp"
#include "core/dispatch/dispatcher_options.hpp"
#include "core/dispatch/rate_limiter.hpp"
#include "core/http/bulk_api.hpp"
#include "core/queue/dispatch_queue.hpp"
#include "core/queue/queue_service.hpp"
#include "core/timer.hpp"

namespace leadsync {

class Metrics;

// Drains the queue through the bulk API: forms batches (full at once,
// partial after `linger`), starts calls under the RateLimiter, keeps up to
// max_in_flight calls, and settles each answer: delivered, retried with
// backoff, split on data errors until the bad record stands alone and is
// dead-lettered, returned to pending on a refusal, or paused on 401/403/404
// (probing every pause_probe).
//
// Runs on one executor (the network loop); every method must be called
// there. Queue work goes through its DispatchQueue role on the queue thread;
// call starts through its CallLedger. Time comes from `clock` and the API
// from `api`, so tests drive it with a manual clock and a scripted API.
// Borrows the queue role, metrics and clock.
class Dispatcher final {
 public:
  Dispatcher(boost::asio::any_io_executor executor, QueueRole<DispatchQueue> queue, Metrics& metrics,
             DispatcherOptions options, std::shared_ptr<BulkApi> api, Clock& clock);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Runs until Stop() and every call has ended. Throws when queue work
  // fails, in this loop or in a call; then Quiesce() before running again.
  [[nodiscard]] boost::asio::awaitable<void> Run();
  // After Run() threw: aborts the calls still in progress and returns once
  // they have ended. Their records stay in flight for the caller to return
  // (DispatchQueue::ReturnInFlight).
  [[nodiscard]] boost::asio::awaitable<void> Quiesce();
  // New records may be claimable.
  void Notify();
  // No new call starts; calls in progress finish and Run() returns.
  void Stop();
  // Aborts calls in progress (the shutdown deadline); their records go back
  // to pending.
  void Cancel();
  // New options and API (reload). New keys resume a paused dispatcher at once.
  void Reconfigure(DispatcherOptions options, std::shared_ptr<BulkApi> api);
  // A paused dispatcher probes at once (any reload: the account may have
  // been fixed on LeadSquared's side).
  void ProbeNow();

  [[nodiscard]] bool paused() const { return paused_; }
  [[nodiscard]] int in_flight() const { return in_flight_; }
  [[nodiscard]] int effective_rate_limit() const { return limiter_.EffectiveLimit(); }
  // Each rate-limit window's use now (metrics, `queue stats`).
  [[nodiscard]] std::vector<WindowUse> rate_windows() const { return limiter_.Use(Now()); }
  [[nodiscard]] const CallLedger& ledger() const { return ledger_; }
  // What the calls came to since the last TakeActivity() (the summary line).
  [[nodiscard]] CallActivity TakeActivity() { return log_.TakeActivity(); }

 private:
  using Records = std::vector<QueuedRecord>;

  [[nodiscard]] boost::asio::awaitable<void> Sleep(std::optional<TimePoint> until);
  [[nodiscard]] boost::asio::awaitable<void> Step();
  [[nodiscard]] boost::asio::awaitable<void> WaitForSlot(TimePoint start);
  void Spawn(Records batch, std::optional<TimePoint> reserved);
  [[nodiscard]] boost::asio::awaitable<void> Call(Records batch, std::optional<TimePoint> reserved,
                                                  std::shared_ptr<BulkApi> api);
  // Sends `records` and finishes them by the answer; `reserved` is the start
  // the batcher took for them, or nullopt when the call must first wait for
  // one (halves of a split).
  [[nodiscard]] boost::asio::awaitable<void> Deliver(Records records, BulkApi& api,
                                                     std::optional<TimePoint> reserved, int alone_failures);
  [[nodiscard]] boost::asio::awaitable<TimePoint> AcquireSlot();
  [[nodiscard]] boost::asio::awaitable<void> Split(Records records, const ApiOutcome& outcome, BulkApi& api,
                                                   int alone_failures);
  // Applies a settlement to the queue, then counts and logs it.
  [[nodiscard]] boost::asio::awaitable<void> Finish(Settlement settlement);
  [[nodiscard]] boost::asio::awaitable<void> OnRefused(const ApiOutcome& outcome, TimePoint sent);
  void WarnIfWindowFull(TimePoint now);
  void Pause(const ApiOutcome& outcome);
  void Resume();
  [[nodiscard]] TimePoint Now() const { return clock_.Now(); }

  boost::asio::any_io_executor executor_;
  QueueRole<DispatchQueue> queue_;
  Metrics& metrics_;
  DispatcherOptions options_;
  std::shared_ptr<BulkApi> api_;
  std::vector<std::weak_ptr<BulkApi>> apis_;  // replaced by a reload, maybe still in use
  Clock& clock_;
  RateLimiter limiter_;
  CallLedger ledger_;
  Backoff backoff_;
  std::unique_ptr<Timer> wake_;
  CallLog log_;
  std::exception_ptr failure_;  // from a call; Run() rethrows it
  bool notified_ = false;
  bool stopping_ = false;
  bool paused_ = false;
  bool keep_learned_ = false;  // a reload dropped learned limits: persist what is left
  TimePoint next_probe_{};
  int in_flight_ = 0;
};

}  // namespace leadsync
