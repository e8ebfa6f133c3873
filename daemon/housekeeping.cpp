#include "daemon/housekeeping.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <tuple>

#include "core/dispatch/dispatcher.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"
#include "daemon/health.hpp"
#include "daemon/notifier.hpp"
#include "daemon/rate_window_use.hpp"
#include "daemon/source_set.hpp"

namespace leadsync::daemon {

using std::chrono::minutes;
using std::chrono::seconds;

Housekeeping::Housekeeping(QueueService& queue, Metrics& metrics, Notifier& notifier,
                           const Dispatcher& dispatcher, SourceSet& sources, Health& health, Clock& clock,
                           const config::Config& config, TaskEvents events)
    : queue_(queue),
      metrics_(metrics),
      notifier_(notifier),
      dispatcher_(dispatcher),
      sources_(sources),
      health_(health),
      clock_(clock),
      config_(config) {
  auto task = [&](const char* name, Duration period, Duration failure_period, auto body) {
    tasks_.push_back(std::make_unique<PeriodicTask>(PeriodicTaskOptions{name, period, failure_period, 0.1},
                                                    clock_, events, body));
  };
  task("housekeeping", seconds(1), seconds(5), [this] { return Tick(); });
  task("recount", seconds(10), seconds(30), [this] { return Recount(); });
  task("prune", minutes(10), minutes(1), [this] { return Prune(); });
}

Housekeeping::~Housekeeping() = default;

void Housekeeping::Start(const boost::asio::any_io_executor& executor) {
  for (auto& task : tasks_) boost::asio::co_spawn(executor, task->Run(), boost::asio::detached);
}

void Housekeeping::Stop() {
  for (auto& task : tasks_) task->Stop();
}

boost::asio::awaitable<void> Housekeeping::Tick() {
  auto [backlog, oldest, dead] = co_await queue_.Submit([](Queue& q) {
    return std::tuple{q.Backlog(), q.OldestPending(), q.DeadLetterCount()};
  });
  health_.QueueAnswered();
  const double age = oldest ? std::chrono::duration<double>(clock_.Now() - *oldest).count() : 0.0;
  metrics_.SetQueuePending(static_cast<double>(backlog));
  metrics_.SetQueueOldestAge(std::max(0.0, age));
  metrics_.SetDeadLetterRecords(static_cast<double>(dead));
  metrics_.SetRateLimitEffective(dispatcher_.effective_rate_limit());
  for (const WindowUse& w : dispatcher_.rate_windows())
    metrics_.SetRateLimitWindow(WindowLabel(w.per), w.calls, w.limit);
  sources_.ReportBacklog(backlog);
  if (health_.Alive()) notifier_.Watchdog();
  notifier_.Status(
      fmt::format("{} pending, {} in flight, limit {}/{}s{}", backlog, dispatcher_.in_flight(),
                  dispatcher_.effective_rate_limit(),
                  std::chrono::duration<double>(config_.leadsquared.rate_limit.front().per).count(),
                  dispatcher_.paused() ? ", PAUSED" : ""));
}

boost::asio::awaitable<void> Housekeeping::Recount() {
  co_await queue_.Submit([](Queue& q) { q.Refresh(); });
}

boost::asio::awaitable<void> Housekeeping::Prune() {
  const TimePoint now = clock_.Now();
  const TimePoint starts_before = dispatcher_.ledger().PruneBefore(now);
  const Duration history = config_.queue.history;
  co_await queue_.Submit([now, starts_before, history](Queue& q) {
    q.PruneCallStarts(starts_before);
    if (history.count() > 0) q.PruneHistory(now - history);
  });
}

}  // namespace leadsync::daemon
