#include "core/dispatch/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/dispatch/batch_timing.hpp"
#include "core/http/client_options.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"

namespace leadsync {
namespace asio = boost::asio;

namespace {

RateLimiterOptions LimiterOptions(const config::LeadSquared& s) {
  RateLimiterOptions o;
  o.requests = s.rate_limit.requests;
  o.per = s.rate_limit.per;
  // The server counts calls on arrival; starts this far apart in time are
  // safe from network jitter without costing more than 1% of the window.
  o.margin = std::min(Duration{50}, s.rate_limit.per / 100);
  o.increase_after = std::max(Duration{30000}, s.rate_limit.per * 6);
  return o;
}

}  // namespace

Dispatcher::Dispatcher(asio::any_io_executor executor, QueueService& queue, Metrics& metrics,
                       const config::LeadSquared& settings)
    : executor_(executor),
      queue_(queue),
      metrics_(metrics),
      settings_(settings),
      limiter_(LimiterOptions(settings)),
      backoff_({settings.retry.initial_backoff, settings.retry.max_backoff}),
      wake_(executor) {
  (void)ClientOptionsFrom(settings_);  // refuse a bad api_host now, not at the first call
  metrics_.SetRateLimitEffective(limiter_.EffectiveLimit());
}

Dispatcher::~Dispatcher() = default;

TimePoint Dispatcher::Now() const { return SystemTimeSource().Now(); }

void Dispatcher::Notify() {
  notified_ = true;
  wake_.cancel();
}

void Dispatcher::Stop() {
  stopping_ = true;
  Notify();
}

void Dispatcher::Cancel() {
  for (LeadSquaredClient* client : busy_) client->Close();
}

void Dispatcher::Reconfigure(const config::LeadSquared& settings) {
  settings_ = settings;
  limiter_.Reconfigure(LimiterOptions(settings));
  backoff_.Reconfigure({settings.retry.initial_backoff, settings.retry.max_backoff});
  idle_.clear();
  ++generation_;
  metrics_.SetRateLimitEffective(limiter_.EffectiveLimit());
  if (paused_) Resume();
  Notify();
}

asio::awaitable<void> Dispatcher::Sleep(std::optional<TimePoint> until) {
  if (std::exchange(notified_, false)) co_return;
  // Other processes (`leadsync enqueue`, `dlq replay`) add records without
  // telling us: look at the queue at least once a second.
  const TimePoint poll = Now() + Duration{1000};
  wake_.expires_at(until ? std::min(*until, poll) : poll);
  boost::system::error_code ignored;
  co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  notified_ = false;
}

asio::awaitable<void> Dispatcher::Run() {
  const TimePoint now = Now();
  auto starts = co_await queue_.Submit([&](Queue& q) { return q.CallStartsSince(now - limiter_.Window()); });
  limiter_.Restore(starts);
  while (!stopping_) {
    if (!co_await FormAndSend()) continue;
  }
  while (in_flight_ > 0) co_await Sleep(std::nullopt);
}

// One step of the batcher; false when it had to wait instead of sending.
asio::awaitable<bool> Dispatcher::FormAndSend() {
  if (in_flight_ >= settings_.max_in_flight || (paused_ && in_flight_ > 0)) {
    co_await Sleep(std::nullopt);
    co_return false;
  }
  if (paused_ && Now() < next_probe_) {
    co_await Sleep(next_probe_);
    co_return false;
  }
  const int size = settings_.batch_size;
  TimePoint now = Now();
  Readiness ready = co_await queue_.Submit([&](Queue& q) { return q.CheckReady(size, now); });
  BatchTiming timing = DecideBatchTiming(ready, size, settings_.linger, Now());
  if (!timing.send_now || stopping_) {
    co_await Sleep(timing.wake_at);
    co_return false;
  }
  now = Now();
  if (const TimePoint start = limiter_.NextStart(now); start > now) {
    metrics_.AddRateLimitWait(std::chrono::duration<double>(start - now).count());
    co_await Sleep(start);  // the batch may fill meanwhile: look again
    co_return false;
  }
  limiter_.RecordStart(now);
  Records batch = co_await queue_.Submit([&](Queue& q) { return q.Claim(size, now); });
  if (batch.empty()) co_return false;
  ++in_flight_;
  metrics_.SetInFlight(in_flight_);
  asio::co_spawn(executor_, Send(std::move(batch), now), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& error) {
      spdlog::error("dispatch: request task failed: {}", error.what());
    }
  });
  co_return true;
}

asio::awaitable<void> Dispatcher::Send(Records batch, TimePoint reserved) {
  const int generation = generation_;
  std::unique_ptr<LeadSquaredClient> client = TakeClient();
  busy_.insert(client.get());
  std::exception_ptr failure;
  try {
    co_await Deliver(std::move(batch), *client, reserved, 0);
  } catch (...) {
    failure = std::current_exception();
  }
  busy_.erase(client.get());
  // A client whose exchange threw may hold a broken connection: drop it.
  if (!failure) ReturnClient(std::move(client), generation);
  --in_flight_;
  metrics_.SetInFlight(in_flight_);
  Notify();
  if (failure) std::rethrow_exception(failure);
}

std::unique_ptr<LeadSquaredClient> Dispatcher::TakeClient() {
  if (idle_.empty()) return std::make_unique<LeadSquaredClient>(executor_, ClientOptionsFrom(settings_));
  auto client = std::move(idle_.back());
  idle_.pop_back();
  return client;
}

void Dispatcher::ReturnClient(std::unique_ptr<LeadSquaredClient> client, int generation) {
  // A client made before a reload carries the old keys and host: drop it.
  if (generation == generation_ && !stopping_) idle_.push_back(std::move(client));
}

asio::awaitable<TimePoint> Dispatcher::AcquireSlot() {
  while (true) {
    const TimePoint now = Now();
    const TimePoint start = limiter_.NextStart(now);
    if (start <= now) break;
    metrics_.AddRateLimitWait(std::chrono::duration<double>(start - now).count());
    asio::system_timer timer(executor_, start);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  const TimePoint now = Now();
  limiter_.RecordStart(now);
  co_await queue_.Submit([now](Queue& q) { q.RecordCallStart(now); });
  co_return now;
}

}  // namespace leadsync
