#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/sources/backpressure.hpp"
#include "core/timer.hpp"
#include "daemon/rejection_log.hpp"

namespace leadsync {
class Metrics;
class QueueService;
class SchemaValidation;
}  // namespace leadsync

namespace leadsync::daemon {

class Health;

// The configured sources, each run by a Supervisor (task "source NAME") on
// the loop: a source whose Run() throws is restarted after 5 s doubling to
// 60 s, and while it is down /readyz names it (Health) and
// leadsync_source_up{source} is 0. A source that retries a failure by
// itself (SourceEvents::on_working false: its database refuses it, its
// directory cannot be read) is down the same way until it works again. Their events are wired to metrics,
// logs and the dispatcher's wake-up, and they all pause on one Backpressure. Borrows everything it is given;
// loop thread only.
class SourceSet final {
 public:
  SourceSet(boost::asio::any_io_executor executor, QueueService& queue, Metrics& metrics, Health& health,
            Clock& clock, std::function<void()> on_enqueued, std::int64_t max_pending);
  ~SourceSet();
  SourceSet(const SourceSet&) = delete;
  SourceSet& operator=(const SourceSet&) = delete;

  // The account's schema every source's ingest judges by (null: none);
  // for the sources started after the call.
  void SetSchemaValidation(std::shared_ptr<SchemaValidation> schema) { schema_ = std::move(schema); }
  // `max_request_bytes` is leadsquared's: a lead alone over it is refused at ingest.
  void Start(const std::vector<config::Source>& sources, std::uint64_t max_request_bytes);
  void Stop();
  // Stops every source and starts the new list (a reload that changed them).
  void Restart(const std::vector<config::Source>& sources, std::uint64_t max_request_bytes);
  // The backlog as the daemon last counted it.
  void ReportBacklog(std::int64_t backlog) { backpressure_.SetBacklog(backlog); }

  class Running;  // one started source and its Supervisor; defined in source_set.cpp

 private:
  boost::asio::any_io_executor executor_;
  QueueService& queue_;
  Metrics& metrics_;
  Health& health_;
  Clock& clock_;
  std::function<void()> on_enqueued_;
  Backpressure backpressure_;
  // Outlives restarts, so a reload does not reset the rate limit of its lines.
  RejectionLog rejection_log_;
  std::shared_ptr<SchemaValidation> schema_;
  std::vector<std::shared_ptr<Running>> running_;
  std::vector<std::string> names_;  // of running_, for their up series
};

}  // namespace leadsync::daemon
