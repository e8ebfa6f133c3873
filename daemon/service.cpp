#include "daemon/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "config/loader.hpp"
#include "core/dispatch/dispatcher.hpp"
#include "core/metrics/metrics.hpp"
#include "core/metrics/metrics_server.hpp"
#include "core/queue/queue_service.hpp"
#include "daemon/logging.hpp"
#include "daemon/notifier.hpp"
#include "daemon/source_set.hpp"

namespace leadsync::daemon {
namespace asio = boost::asio;

namespace {

std::vector<std::string> SourceNames(const config::Config& c) {
  std::vector<std::string> names;
  for (const auto& s : c.sources) names.push_back(s.name);
  return names;
}

QueueOptions MakeQueueOptions(const config::Queue& q) {
  QueueOptions o;
  o.path = q.path;
  o.sync_full = q.sync == config::SyncMode::kFull;
  o.journal = q.history.count() > 0;
  o.owner = true;
  return o;
}

void LogFailure(const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& error) {
    spdlog::critical("{} failed: {}", what, error.what());
  }
}

}  // namespace

class Service::Impl {
 public:
  explicit Impl(config::Config config)
      : config_(std::move(config)),
        queue_(OpenQueue(MakeQueueOptions(config_.queue))),
        metrics_(SourceNames(config_)),
        server_(io_, config_.metrics.listen, metrics_, [this] { return NotReadyReason(); }),
        dispatcher_(io_.get_executor(), queue_, metrics_, config_.leadsquared),
        sources_(
            io_.get_executor(), queue_, metrics_, [this] { dispatcher_.Notify(); },
            config_.queue.max_pending),
        done_(io_) {}

  int Run() {
    server_.Start();
    sources_.Start(config_.sources);
    asio::co_spawn(io_, dispatcher_.Run(), [this](std::exception_ptr e) {
      LogFailure("dispatcher", e);
      dispatcher_done_ = true;
      done_.cancel();
    });
    asio::co_spawn(io_, Lifecycle(), [this](std::exception_ptr e) {
      LogFailure("lifecycle", e);
      io_.stop();
    });
    asio::co_spawn(io_, Housekeeping(), asio::detached);
    spdlog::info("leadsync {} running: {} source(s), queue {}, metrics on {}", LEADSYNC_VERSION,
                 config_.sources.size(), config_.queue.path.string(), config_.metrics.listen);
    notifier_.Ready();
    io_.run();
    queue_.Shutdown();
    spdlog::info("leadsync stopped; {} record(s) pending", queue_.queue().Backlog());
    return 0;
  }

 private:
  std::optional<std::string> NotReadyReason() const {
    if (dispatcher_.paused()) return "dispatch paused: the API refused the credentials or the path";
    return std::nullopt;
  }

  asio::awaitable<void> Lifecycle() {
    while (true) {
      const int signal = co_await signals_.async_wait(asio::use_awaitable);
      if (signal != SIGHUP) break;
      Reload();
    }
    co_await Drain();
  }

  asio::awaitable<void> Drain() {
    notifier_.Stopping();
    spdlog::info("stopping: sources closed, in-flight requests get {} s to finish",
                 std::chrono::duration_cast<std::chrono::seconds>(config_.shutdown_timeout).count());
    stopping_ = true;
    sources_.Stop();
    dispatcher_.Stop();
    boost::system::error_code ignored;
    done_.expires_after(config_.shutdown_timeout);
    if (!dispatcher_done_) co_await done_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (!dispatcher_done_) {
      spdlog::warn("shutdown_timeout passed: cancelling {} in-flight request(s); their records stay pending",
                   dispatcher_.in_flight());
      dispatcher_.Cancel();
      done_.expires_after(std::chrono::seconds(10));
      co_await done_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    server_.Stop();
    housekeeping_.cancel();
  }

  void Reload() {
    notifier_.Reloading();
    config::LoadResult loaded = config::LoadConfig(config_.file);
    if (!loaded.config) {
      metrics_.RecordConfigReloadFailure();
      for (const auto& e : loaded.errors) spdlog::error("reload refused: {}", e.ToString());
      spdlog::error("reload refused: keeping the running configuration");
      notifier_.Ready();
      return;
    }
    config::Config next = *std::move(loaded.config);
    ApplyLogSettings(next.log);
    if (next.leadsquared != config_.leadsquared) dispatcher_.Reconfigure(next.leadsquared);
    if (next.sources != config_.sources) sources_.Restart(next.sources);
    if (next.queue != config_.queue || next.metrics != config_.metrics) {
      spdlog::warn("reload: queue and metrics settings take effect at the next restart");
      next.queue = config_.queue;
      next.metrics = config_.metrics;
    }
    config_ = std::move(next);
    spdlog::info("configuration reloaded from {}", config_.file.string());
    notifier_.Ready();
  }

  asio::awaitable<void> Housekeeping();

  asio::awaitable<void> Prune() {
    const TimePoint now = SystemTimeSource().Now();
    const auto history = config_.queue.history;
    co_await queue_.Submit([&](Queue& q) {
      q.PruneCallStarts(now - std::chrono::hours(1));
      if (history.count() > 0) q.PruneHistory(now - history);
    });
  }

  config::Config config_;
  asio::io_context io_;
  QueueService queue_;
  Metrics metrics_;
  MetricsServer server_;
  Dispatcher dispatcher_;
  SourceSet sources_;
  Notifier notifier_;
  asio::steady_timer done_;
  // Installed with the service, before READY=1: a reload right after start
  // must not meet the default SIGHUP action.
  asio::signal_set signals_{io_, SIGINT, SIGTERM, SIGHUP};
  asio::steady_timer housekeeping_{io_};
  bool dispatcher_done_ = false;
  bool stopping_ = false;
};

// Gauges, the watchdog, STATUS= and pruning, once a second.
asio::awaitable<void> Service::Impl::Housekeeping() {
  int ticks = 0;
  while (!stopping_) {
    const bool refresh = ticks % 10 == 0;
    auto [backlog, oldest, dead] = co_await queue_.Submit([refresh](Queue& q) {
      if (refresh) q.Refresh();
      return std::tuple{q.Backlog(), q.OldestPending(), q.DeadLetterCount()};
    });
    const double age =
        oldest ? std::chrono::duration<double>(SystemTimeSource().Now() - *oldest).count() : 0.0;
    metrics_.SetQueuePending(static_cast<double>(backlog));
    sources_.ReportBacklog(backlog);
    metrics_.SetQueueOldestAge(age);
    metrics_.SetDeadLetterRecords(static_cast<double>(dead));
    metrics_.SetRateLimitEffective(dispatcher_.effective_rate_limit());
    notifier_.Watchdog();
    notifier_.Status(fmt::format("{} pending, {} in flight, limit {}/{}s{}", backlog, dispatcher_.in_flight(),
                                 dispatcher_.effective_rate_limit(),
                                 std::chrono::duration<double>(config_.leadsquared.rate_limit.per).count(),
                                 dispatcher_.paused() ? ", PAUSED" : ""));
    if (ticks++ % 600 == 0) co_await Prune();
    housekeeping_.expires_after(std::chrono::seconds(1));
    boost::system::error_code ignored;
    co_await housekeeping_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

Service::Service(config::Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Service::~Service() = default;
int Service::Run() { return impl_->Run(); }

}  // namespace leadsync::daemon
