#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/system_timer.hpp>
#include <memory>
#include <set>
#include <vector>

#include "config/config.hpp"
#include "core/dispatch/backoff.hpp"
#include "core/dispatch/failure_log.hpp"
#include "core/dispatch/rate_limiter.hpp"
#include "core/http/leadsquared_client.hpp"
#include "core/queue/queue.hpp"

namespace leadsync {

class Metrics;
class QueueService;

// Drains the queue through the bulk API: forms batches (full at once,
// partial after `linger`), starts calls under the sliding-window limiter,
// keeps up to max_in_flight requests on keep-alive connections, and settles
// each answer (deliver, retry with backoff, split on data errors, dead-letter,
// or pause on 401/403/404).
//
// Runs on one executor (the network loop); all methods must be called there.
// Queue work goes through QueueService and never blocks the loop.
class Dispatcher final {
 public:
  Dispatcher(boost::asio::any_io_executor executor, QueueService& queue, Metrics& metrics,
             const config::LeadSquared& settings);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Runs until Stop() and every request has ended.
  [[nodiscard]] boost::asio::awaitable<void> Run();
  // New records may be claimable.
  void Notify();
  // No new request starts; in-flight ones finish and Run() returns.
  void Stop();
  // Aborts in-flight requests (shutdown deadline); their records stay pending.
  void Cancel();
  // New settings (reload). New keys resume a paused dispatcher at once.
  void Reconfigure(const config::LeadSquared& settings);

  [[nodiscard]] bool paused() const { return paused_; }
  [[nodiscard]] int in_flight() const { return in_flight_; }
  [[nodiscard]] int effective_rate_limit() const { return limiter_.EffectiveLimit(); }

 private:
  using Records = std::vector<QueuedRecord>;

  boost::asio::awaitable<void> Sleep(std::optional<TimePoint> until);
  boost::asio::awaitable<bool> FormAndSend();
  boost::asio::awaitable<void> Send(Records batch, TimePoint reserved);
  // Sends `records`; `reserved` is the start the batcher took for them, or
  // nullopt when the call must first wait for a slot (halves of a split).
  boost::asio::awaitable<void> Deliver(Records records, LeadSquaredClient& client,
                                       std::optional<TimePoint> reserved, int alone_failures);
  boost::asio::awaitable<TimePoint> AcquireSlot();
  boost::asio::awaitable<void> Settle(Settlement settlement);
  boost::asio::awaitable<void> HandleDataError(Records records, const ApiOutcome& outcome,
                                               LeadSquaredClient& client, int alone_failures);
  void Account(const Settlement& settlement);
  void Observe(const Records& records, const ApiOutcome& outcome);
  void Pause(const ApiOutcome& outcome);
  void Resume();
  std::unique_ptr<LeadSquaredClient> TakeClient();
  void ReturnClient(std::unique_ptr<LeadSquaredClient> client, int generation);
  [[nodiscard]] TimePoint Now() const;

  boost::asio::any_io_executor executor_;
  QueueService& queue_;
  Metrics& metrics_;
  config::LeadSquared settings_;
  RateLimiter limiter_;
  Backoff backoff_;
  boost::asio::system_timer wake_;
  FailureLog api_failures_{"LeadSquared API"};
  bool notified_ = false;
  bool stopping_ = false;
  bool paused_ = false;
  TimePoint next_probe_{};
  int in_flight_ = 0;
  int generation_ = 0;
  std::vector<std::unique_ptr<LeadSquaredClient>> idle_;
  std::set<LeadSquaredClient*> busy_;
};

}  // namespace leadsync
