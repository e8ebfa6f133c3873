#include "daemon/source_set.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>

#include "core/metrics.hpp"
#include "core/queue_service.hpp"
#include "core/sources/source_events.hpp"
#include "core/sources/spool.hpp"

namespace leadsync::daemon {

// One source and the coroutine running it. Shared with that coroutine, so a
// stopped source lives until its Run() has returned.
class SourceSet::Running {
 public:
  virtual ~Running() = default;
  virtual void Stop() = 0;
};

namespace {

class RunningSpool final : public SourceSet::Running {
 public:
  RunningSpool(boost::asio::any_io_executor ex, QueueService& q, const config::Source& s, std::int64_t max_pending,
               SourceEvents events)
      : source_(ex, q, s, max_pending, std::move(events), clock_) {}
  void Stop() override { source_.Stop(); }
  SpoolSource& source() { return source_; }

 private:
  SystemTimeSource clock_;
  SpoolSource source_;
};

SourceEvents MakeEvents(Metrics& metrics, const std::function<void()>& on_enqueued) {
  SourceEvents events;
  events.on_ingested = [&metrics](const std::string& source, const EnqueueResult& r, std::size_t rejected) {
    metrics.RecordIngested(source, static_cast<std::uint64_t>(r.inserted + r.coalesced));
    metrics.RecordCoalesced(static_cast<std::uint64_t>(r.coalesced));
    if (rejected > 0) metrics.RecordRejected(source, "invalid", rejected);
  };
  events.on_error = [&metrics](const std::string& source, const std::string& what) {
    metrics.RecordSourceError(source);
    spdlog::warn("source {}: {}", source, what);
  };
  events.on_enqueued = on_enqueued;
  return events;
}

}  // namespace

SourceSet::SourceSet(boost::asio::any_io_executor executor, QueueService& queue, Metrics& metrics,
                     std::function<void()> on_enqueued)
    : executor_(std::move(executor)), queue_(queue), metrics_(metrics), on_enqueued_(std::move(on_enqueued)) {}

SourceSet::~SourceSet() = default;

void SourceSet::Start(const std::vector<config::Source>& sources, std::int64_t max_pending) {
  for (const config::Source& s : sources) {
    if (s.type != config::SourceType::kSpool) {
      spdlog::warn("source {}: type not supported by this build; skipped", s.name);
      continue;
    }
    auto running = std::make_shared<RunningSpool>(executor_, queue_, s, max_pending, MakeEvents(metrics_, on_enqueued_));
    running_.push_back(running);
    boost::asio::co_spawn(executor_, running->source().Run(), [running, name = s.name](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& error) {
        spdlog::error("source {} stopped: {}", name, error.what());
      }
    });
  }
}

void SourceSet::Stop() {
  for (auto& r : running_) r->Stop();
  running_.clear();
}

void SourceSet::Restart(const std::vector<config::Source>& sources, std::int64_t max_pending) {
  Stop();
  Start(sources, max_pending);
}

}  // namespace leadsync::daemon
