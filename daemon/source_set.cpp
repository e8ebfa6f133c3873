#include "daemon/source_set.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/source_events.hpp"
#include "core/tasks/supervisor.hpp"
#include "daemon/health.hpp"
#include "daemon/source_factory.hpp"

namespace leadsync::daemon {

// One source and the Supervisor running it. Shared with the coroutine that
// supervises it, so a stopped source lives until its Run() has returned.
// Once stopped, its supervisor's reports are dropped: the source set that
// replaces it may already run a source of the same name.
class SourceSet::Running {
 public:
  Running(const std::string& name, Clock& clock, TaskEvents events);
  // The source to run; its SourceEvents::on_working goes to SetWorking.
  void Attach(std::unique_ptr<Source> source) { source_ = std::move(source); }
  boost::asio::awaitable<void> Supervise();
  void SetWorking(bool working) { supervisor_.SetWorking(working); }
  void Stop();

 private:
  TaskEvents UnlessStopped(TaskEvents events);

  bool stopped_ = false;
  Supervisor supervisor_;
  std::unique_ptr<Source> source_;  // last: its events call the supervisor
};

namespace {

// The one restart policy, with the pauses sources have always had.
constexpr SupervisorOptions kSourceRestart{std::chrono::seconds(5), std::chrono::seconds(60),
                                           std::chrono::seconds(60)};

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

// A source that fails unexpectedly (Run() threw: its queue work failed, its
// port is taken) is counted as a source error and is down until its restart.
// One that retries a failure by itself (on_working false) is down as well,
// counted by its own on_error, until it works again.
TaskEvents MakeTaskEvents(Metrics& metrics, Health& health, const std::string& source) {
  TaskEvents events;
  events.on_failure = [&metrics, source](const std::string&, const std::string& what) {
    metrics.RecordSourceError(source);
    spdlog::error("source {} failed: {}; restarting it with backoff", source, what);
  };
  events.on_state = [&metrics, &health, source](const std::string&, bool up) {
    health.SetSourceState(source, up);
    metrics.SetSourceUp(source, up);
  };
  return events;
}

// Parameters live in the coroutine's frame: `running` outlives Stop().
boost::asio::awaitable<void> Supervise(std::shared_ptr<SourceSet::Running> running) {
  co_await running->Supervise();
}

}  // namespace

SourceSet::Running::Running(const std::string& name, Clock& clock, TaskEvents events)
    : supervisor_("source " + name, clock, UnlessStopped(std::move(events)), kSourceRestart) {}

boost::asio::awaitable<void> SourceSet::Running::Supervise() {
  auto recover = []() -> boost::asio::awaitable<void> { co_return; };  // a source holds nothing to put back
  co_await supervisor_.Run([this] { return source_->Run(); }, recover, stopped_);
}

void SourceSet::Running::Stop() {
  stopped_ = true;
  supervisor_.Wake();
  source_->Stop();
}

TaskEvents SourceSet::Running::UnlessStopped(TaskEvents events) {
  return {
      [this, on_failure = std::move(events.on_failure)](const std::string& task, const std::string& what) {
        if (!stopped_) on_failure(task, what);
      },
      [this, on_state = std::move(events.on_state)](const std::string& task, bool up) {
        if (!stopped_) on_state(task, up);
      }};
}

SourceSet::SourceSet(boost::asio::any_io_executor executor, QueueService& queue, Metrics& metrics,
                     Health& health, Clock& clock, std::function<void()> on_enqueued,
                     std::int64_t max_pending)
    : executor_(std::move(executor)),
      queue_(queue),
      metrics_(metrics),
      health_(health),
      clock_(clock),
      on_enqueued_(std::move(on_enqueued)),
      backpressure_(executor_, max_pending),
      rejection_log_(executor_) {}

SourceSet::~SourceSet() = default;

void SourceSet::Start(const std::vector<config::Source>& sources, std::uint64_t max_request_bytes) {
  for (const config::Source& s : sources) {
    metrics_.DeclareSource(s.name);
    auto running = std::make_shared<Running>(s.name, clock_, MakeTaskEvents(metrics_, health_, s.name));
    SourceEvents events = MakeEvents(metrics_, rejection_log_, on_enqueued_);
    // The source lives inside `running`, so it never calls a Running that is gone.
    events.on_working = [raw = running.get()](const std::string&, bool working) { raw->SetWorking(working); };
    std::unique_ptr<Source> source =
        MakeSource(s, max_request_bytes,
                   SourceContext{executor_, queue_, std::move(events), backpressure_, clock_}, schema_);
    if (!source) continue;
    running->Attach(std::move(source));
    running_.push_back(running);
    names_.push_back(s.name);
    boost::asio::co_spawn(executor_, Supervise(running), boost::asio::detached);
  }
}

void SourceSet::Stop() {
  for (auto& r : running_) r->Stop();
  running_.clear();
  for (const std::string& name : names_) metrics_.ForgetSourceUp(name);
  names_.clear();
  health_.ForgetSources();
  backpressure_.WakeAll();
}

void SourceSet::Restart(const std::vector<config::Source>& sources, std::uint64_t max_request_bytes) {
  Stop();
  Start(sources, max_request_bytes);
}

}  // namespace leadsync::daemon
