#include "daemon/source_set.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/source_events.hpp"
#include "daemon/source_factory.hpp"

namespace leadsync::daemon {

// One source and the coroutine running it. Shared with that coroutine, so a
// stopped source lives until its Run() has returned.
class SourceSet::Running {
 public:
  explicit Running(std::unique_ptr<Source> source) : source_(std::move(source)) {}
  boost::asio::awaitable<void> Run() { return source_->Run(); }
  void Stop() {
    stopped = true;
    source_->Stop();
  }
  bool stopped = false;

 private:
  std::unique_ptr<Source> source_;
};

namespace {

SourceEvents MakeEvents(Metrics& metrics, RejectionLog& rejection_log,
                        const std::function<void()>& on_enqueued) {
  SourceEvents events;
  events.on_ingested = [&metrics, &rejection_log](const std::string& source, const EnqueueResult& r,
                                                  std::span<const Rejection> rejections) {
    metrics.RecordIngested(source, static_cast<std::uint64_t>(r.inserted + r.coalesced));
    metrics.RecordCoalesced(static_cast<std::uint64_t>(r.coalesced));
    for (const Rejection& rejection : rejections) metrics.RecordRejected(source, rejection.category, 1);
    rejection_log.Report(source, rejections);
  };
  events.on_error = [&metrics](const std::string& source, const std::string& what) {
    metrics.RecordSourceError(source);
    spdlog::warn("source {}: {}", source, what);
  };
  // Backpressure, a rotation, a truncation: states, not source errors.
  events.on_state = [](const std::string& source, const std::string& what) {
    spdlog::info("source {}: {}", source, what);
  };
  events.on_enqueued = on_enqueued;
  events.on_connection_dropped = [&metrics](const std::string& source, std::string_view reason) {
    metrics.RecordConnectionDropped(source, reason);
  };
  return events;
}

// A source that fails unexpectedly (its queue work threw) is restarted after
// a pause that doubles up to a minute; one that stops on request is not.
boost::asio::awaitable<void> Supervise(std::shared_ptr<SourceSet::Running> running, std::string name,
                                       Metrics& metrics) {
  auto pause = std::chrono::seconds(5);
  while (!running->stopped) {
    std::string failure;
    try {
      co_await running->Run();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (running->stopped || failure.empty()) break;
    metrics.RecordSourceError(name);
    spdlog::error("source {} failed: {}; restarting in {} s", name, failure, pause.count());
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, pause);
    co_await timer.async_wait(boost::asio::use_awaitable);
    pause = std::min(pause * 2, std::chrono::seconds(60));
  }
}

}  // namespace

SourceSet::SourceSet(boost::asio::any_io_executor executor, QueueService& queue, Metrics& metrics,
                     std::function<void()> on_enqueued, std::int64_t max_pending)
    : executor_(std::move(executor)),
      queue_(queue),
      metrics_(metrics),
      on_enqueued_(std::move(on_enqueued)),
      backpressure_(executor_, max_pending),
      rejection_log_(executor_) {}

SourceSet::~SourceSet() = default;

void SourceSet::Start(const std::vector<config::Source>& sources) {
  for (const config::Source& s : sources) {
    metrics_.DeclareSource(s.name);
    SourceContext context{executor_, queue_, MakeEvents(metrics_, rejection_log_, on_enqueued_),
                          backpressure_, clock_};
    std::unique_ptr<Source> source = MakeSource(s, std::move(context));
    if (!source) continue;
    auto running = std::make_shared<Running>(std::move(source));
    running_.push_back(running);
    boost::asio::co_spawn(executor_, Supervise(running, s.name, metrics_), boost::asio::detached);
  }
}

void SourceSet::Stop() {
  for (auto& r : running_) r->Stop();
  running_.clear();
  backpressure_.Release();
}

void SourceSet::Restart(const std::vector<config::Source>& sources) {
  Stop();
  Start(sources);
}

}  // namespace leadsync::daemon
