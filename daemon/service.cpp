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
#include "core/http/leadsquared_pool.hpp"
#include "core/metrics/metrics.hpp"
#include "core/metrics/metrics_server.hpp"
#include "core/queue/queue_service.hpp"
#include "core/tasks/supervisor.hpp"
#include "daemon/activity_report.hpp"
#include "daemon/background_check.hpp"
#include "daemon/health.hpp"
#include "daemon/housekeeping.hpp"
#include "daemon/logging.hpp"
#include "daemon/notifier.hpp"
#include "daemon/options/client_options.hpp"
#include "daemon/options/dispatcher_options.hpp"
#include "daemon/options/queue_options.hpp"
#include "daemon/restart_settings.hpp"
#include "daemon/schema_refresh.hpp"
#include "daemon/secret_names.hpp"
#include "daemon/source_description.hpp"
#include "daemon/source_set.hpp"

namespace leadsync::daemon {
namespace asio = boost::asio;

namespace {

std::vector<std::string> SourceNames(const config::Config& c) {
  std::vector<std::string> names;
  for (const auto& s : c.sources) names.push_back(s.name);
  return names;
}

QueueOptions OwnerQueueOptions(const config::Queue& q, TimePoint now) {
  QueueOptions o = QueueOptionsFrom(q);
  o.owner = true;
  o.opened_at = now;
  return o;
}

void LogFailure(const char* what, const std::exception_ptr& e) {
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
        clock_(io_.get_executor()),
        queue_(OpenQueue(OwnerQueueOptions(config_.queue, clock_.Now()))),
        metrics_(SourceNames(config_)),
        health_(clock_),
        server_(io_, config_.metrics.listen, metrics_,
                [this] { return health_.NotReady(dispatcher_.paused()); }),
        dispatcher_(io_.get_executor(), queue_.Role<DispatchQueue>(), metrics_,
                    DispatcherOptionsFrom(config_.leadsquared), MakeApi(config_.leadsquared), clock_),
        supervisor_("dispatcher", clock_, MakeTaskEvents()),
        schema_(io_.get_executor(), queue_.Role<SchemaStore>(), clock_, config_.leadsquared),
        sources_(
            io_.get_executor(), queue_, metrics_, health_, clock_, [this] { dispatcher_.Notify(); },
            config_.queue.max_pending),
        housekeeping_(queue_, metrics_, notifier_, dispatcher_, sources_, health_, clock_, config_,
                      MakeTaskEvents()),
        activity_(
            clock_, MakeTaskEvents(), [this] { return dispatcher_.TakeActivity(); },
            [this] { return ReadBacklog(); }),
        check_(io_.get_executor(), config_.queue.path,
               [this](const std::string& message) { StopDamaged(message); }),
        done_(io_) {
    queue_.OnFailure([this](std::string_view reason) { metrics_.RecordQueueError(reason); });
  }

  int Run() {
    server_.SetHealthProbe([this] { return health_.Unhealthy(); });
    server_.Start();
    schema_.LoadStored();
    sources_.SetSchemaValidation(schema_.validation());
    sources_.Start(config_.sources, config_.leadsquared.max_request_bytes);
    schema_.Start();
    asio::co_spawn(io_, SuperviseDispatcher(), [this](const std::exception_ptr& e) {
      LogFailure("dispatcher", e);
      dispatcher_done_ = true;
      done_.cancel();
    });
    asio::co_spawn(io_, Lifecycle(), [this](const std::exception_ptr& e) {
      LogFailure("lifecycle", e);
      io_.stop();
    });
    housekeeping_.Start(io_.get_executor());
    asio::co_spawn(io_, activity_.Run(), asio::detached);
    check_.Start();
    spdlog::info("leadsync {} running: {} source(s), queue {}, metrics on {}", LEADSYNC_VERSION,
                 config_.sources.size(), config_.queue.path.string(), config_.metrics.listen);
    for (const config::Source& source : config_.sources) spdlog::info("{}", DescribeSource(source));
    notifier_.Ready();
    io_.run();
    check_.Stop();
    queue_.Shutdown();
    spdlog::info("leadsync stopped; {} record(s) pending", queue_.queue().Backlog());
    return exit_code_;
  }

 private:
  std::shared_ptr<BulkApi> MakeApi(const config::LeadSquared& settings) {
    return std::make_shared<LeadSquaredPool>(io_.get_executor(), ClientOptionsFrom(settings));
  }

  // The daemon's own tasks report here: log, metric, readiness.
  TaskEvents MakeTaskEvents() {
    return {[this](const std::string& task, const std::string& what) {
              metrics_.RecordTaskFailure(task);
              spdlog::error("{} failed: {}; restarting it with backoff", task, what);
            },
            [this](const std::string& task, bool up) { health_.SetTaskState(task, up); }};
  }

  asio::awaitable<void> SuperviseDispatcher() {
    co_await supervisor_.Run([this] { return dispatcher_.Run(); }, [this] { return RecoverDispatcher(); },
                             stopping_);
  }

  // After a dispatcher failure: let its calls end, and put back what it had
  // claimed, so the restarted dispatcher sends it again.
  asio::awaitable<void> RecoverDispatcher() {
    co_await dispatcher_.Quiesce();
    const TimePoint now = clock_.Now();
    const std::int64_t returned =
        co_await queue_.Submit([now](DispatchQueue& q) { return q.ReturnInFlight(now); });
    if (returned > 0) spdlog::info("dispatcher: {} in-flight record(s) back to pending", returned);
  }

  asio::awaitable<BacklogNow> ReadBacklog() {
    const PriorityBacklogs backlogs = co_await queue_.Submit([](Queue& q) { return q.BacklogByPriority(); });
    co_return TotalBacklog(backlogs, clock_.Now());
  }

  // The queue file is damaged: stop as SIGTERM would, and say so in the exit code.
  void StopDamaged(const std::string& message) {
    spdlog::critical("{}", message);
    exit_code_ = kExitQueueDamaged;
    signals_.cancel();
  }

  asio::awaitable<void> Lifecycle() {
    while (true) {
      boost::system::error_code cancelled;
      const int signal = co_await signals_.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
      if (cancelled || signal != SIGHUP) break;
      Reload();
    }
    co_await Drain();
  }

  asio::awaitable<void> Drain() {
    notifier_.Stopping();
    spdlog::info("stopping: sources closed, in-flight requests get {} s to finish",
                 std::chrono::duration_cast<std::chrono::seconds>(config_.shutdown_timeout).count());
    stopping_ = true;
    check_.Cancel();
    schema_.Stop();
    supervisor_.Wake();
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
    housekeeping_.Stop();
    activity_.Stop();
    server_.Stop();
  }

  void Reload() {
    notifier_.Reloading();
    config::LoadResult loaded = config::LoadConfig(config_.file, config::ProcessEnvironment(),
                                                   config::SecretHandling::kRead, config::HostCheck::kCheck);
    if (!loaded.config) {
      metrics_.RecordConfigReloadFailure();
      for (const auto& e : loaded.errors) spdlog::error("reload refused: {}", e.ToString());
      spdlog::error("reload refused: keeping the running configuration");
      notifier_.Ready();
      return;
    }
    config::Config next = *std::move(loaded.config);
    ApplyLogSettings(next.log);
    for (const config::ConfigError& w : loaded.warnings) spdlog::warn("{}", w.ToString());
    // Which secrets were read tells an operator whether a rotation took: a
    // credential systemd copied at start reads the same until a restart.
    spdlog::info("reload: secrets re-read: {}", DescribeReloadedSecrets(config_, next));
    if (next.leadsquared != config_.leadsquared) {
      dispatcher_.Reconfigure(DispatcherOptionsFrom(next.leadsquared), MakeApi(next.leadsquared));
      schema_.Reconfigure(next.leadsquared);
    }
    dispatcher_.ProbeNow();
    if (next.sources != config_.sources ||
        next.leadsquared.max_request_bytes != config_.leadsquared.max_request_bytes) {
      sources_.Restart(next.sources, next.leadsquared.max_request_bytes);
      for (const config::Source& source : next.sources) spdlog::info("reload: {}", DescribeSource(source));
    }
    for (const std::string& waiting : DescribeRestartSettings(config_, next))
      spdlog::warn("reload: {}", waiting);
    next.queue = config_.queue;
    next.metrics = config_.metrics;
    config_ = std::move(next);
    spdlog::info("configuration reloaded from {}", config_.file.string());
    notifier_.Ready();
  }

  config::Config config_;
  asio::io_context io_;
  SystemClock clock_;
  QueueService queue_;
  Metrics metrics_;
  Health health_;
  MetricsServer server_;
  Dispatcher dispatcher_;
  Supervisor supervisor_;
  SchemaRefresh schema_;
  SourceSet sources_;
  Notifier notifier_;
  Housekeeping housekeeping_;
  ActivityReport activity_;
  BackgroundCheck check_;
  asio::steady_timer done_;
  // Installed with the service, before READY=1: a reload right after start
  // must not meet the default SIGHUP action.
  asio::signal_set signals_{io_, SIGINT, SIGTERM, SIGHUP};
  bool dispatcher_done_ = false;
  bool stopping_ = false;
  int exit_code_ = 0;
};

Service::Service(config::Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Service::~Service() = default;
int Service::Run() { return impl_->Run(); }

}  // namespace leadsync::daemon
