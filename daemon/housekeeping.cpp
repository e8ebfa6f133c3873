#include "daemon/housekeeping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <tuple>

#include "core/dispatch/dispatcher.hpp"
#include "core/dispatch/drain_forecast.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"
#include "daemon/health.hpp"
#include "daemon/notifier.hpp"
#include "daemon/options/source_options.hpp"
#include "daemon/rate_window_use.hpp"
#include "daemon/source_set.hpp"

namespace leadsync::daemon {

using std::chrono::minutes;
using std::chrono::seconds;

namespace {

double AgeSeconds(const std::optional<TimePoint>& oldest, TimePoint now) {
  return oldest ? std::max(0.0, std::chrono::duration<double>(now - *oldest).count()) : 0.0;
}

}  // namespace

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
      config_(config),
      retention_(queue, metrics, clock, config.queue) {
  auto task = [&](const char* name, Duration period, Duration failure_period, auto body) {
    tasks_.push_back(std::make_unique<PeriodicTask>(PeriodicTaskOptions{name, period, failure_period, 0.1},
                                                    clock_, events, body));
  };
  task("housekeeping", seconds(1), seconds(5), [this] { return Tick(); });
  task("recount", seconds(10), seconds(30), [this] { return Recount(); });
  task("prune", Retention::kPeriod, minutes(1), [this] { return Prune(); });
}

Housekeeping::~Housekeeping() = default;

void Housekeeping::Start(const boost::asio::any_io_executor& executor) {
  for (auto& task : tasks_) boost::asio::co_spawn(executor, task->Run(), boost::asio::detached);
}

void Housekeeping::Stop() {
  for (auto& task : tasks_) task->Stop();
}

boost::asio::awaitable<void> Housekeeping::Tick() {
  auto [backlog, dead] = co_await queue_.Submit([](Queue& q) {
    return std::pair{q.Backlog(), q.DeadLetterCount()};
  });
  health_.QueueAnswered();
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
  co_await Capacity();
}

boost::asio::awaitable<void> Housekeeping::Capacity() {
  std::vector<std::pair<std::string, Priority>> sources;
  for (const config::Source& source : config_.sources)
    sources.emplace_back(source.name, PriorityFrom(source));
  DrainRate rate{dispatcher_.rate_windows(), config_.leadsquared.batch_size};
  if (!rate.windows.empty())  // shortest first: the one the adaptive level lowers
    rate.windows.front().limit = std::min(rate.windows.front().limit, dispatcher_.effective_rate_limit());
  auto [backlogs, lags] = co_await queue_.Submit([&sources](Queue& q) {
    std::vector<std::optional<TimePoint>> oldest;
    for (const auto& source : sources) oldest.push_back(q.OldestPendingOf(source.first));
    return std::pair{q.BacklogByPriority(), std::move(oldest)};
  });
  const TimePoint now = clock_.Now();
  const auto drain = DrainSeconds(backlogs, rate);
  for (Priority priority : kPriorities) {
    const auto index = static_cast<std::size_t>(PriorityValue(priority));
    metrics_.SetQueuePending(PriorityName(priority), static_cast<double>(backlogs[index].records));
    metrics_.SetQueueOldestAge(PriorityName(priority), AgeSeconds(backlogs[index].oldest, now));
    metrics_.SetBacklogDrain(PriorityName(priority), drain[index]);
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    metrics_.SetSourceLag(sources[i].first, AgeSeconds(lags[i], now));
    metrics_.SetSourcePriority(sources[i].first, PriorityName(sources[i].second));
  }
}

boost::asio::awaitable<void> Housekeeping::Recount() {
  co_await queue_.Submit([](Queue& q) { q.Refresh(); });
}

boost::asio::awaitable<void> Housekeeping::Prune() {
  const TimePoint now = clock_.Now();
  const TimePoint starts_before = dispatcher_.ledger().PruneBefore(now);
  co_await queue_.Submit([starts_before](Queue& q) { q.PruneCallStarts(starts_before); });
  co_await retention_.Prune();
}

}  // namespace leadsync::daemon
