#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/sources/backpressure.hpp"
#include "daemon/rejection_log.hpp"

namespace leadsync {
class Metrics;
class QueueService;
}  // namespace leadsync

namespace leadsync::daemon {

// The configured sources, each a supervised coroutine on the loop, with their
// events wired to metrics, logs and the dispatcher's wake-up, and one
// Backpressure they all pause on. Loop thread only.
class SourceSet final {
 public:
  SourceSet(boost::asio::any_io_executor executor, QueueService& queue, Metrics& metrics,
            std::function<void()> on_enqueued, std::int64_t max_pending);
  ~SourceSet();
  SourceSet(const SourceSet&) = delete;
  SourceSet& operator=(const SourceSet&) = delete;

  void Start(const std::vector<config::Source>& sources);
  void Stop();
  // Stops every source and starts the new list (a reload that changed them).
  void Restart(const std::vector<config::Source>& sources);
  // The backlog as the daemon last counted it.
  void ReportBacklog(std::int64_t backlog) { backpressure_.Report(backlog); }

  class Running;  // one started source; defined in source_set.cpp

 private:
  boost::asio::any_io_executor executor_;
  QueueService& queue_;
  Metrics& metrics_;
  std::function<void()> on_enqueued_;
  Backpressure backpressure_;
  // Outlives restarts, so a reload does not reset the rate limit of its lines.
  RejectionLog rejection_log_;
  SystemTimeSource clock_;
  std::vector<std::shared_ptr<Running>> running_;
};

}  // namespace leadsync::daemon
