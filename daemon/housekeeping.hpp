#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "core/tasks/periodic_task.hpp"
#include "daemon/retention.hpp"

namespace leadsync {
class Dispatcher;
class Metrics;
class QueueService;
}  // namespace leadsync

namespace leadsync::daemon {

class Health;
class Notifier;
class SourceSet;

// The daemon's periodic work, as named tasks:
//   tick     every second: queue gauges, the backlog for backpressure,
//            STATUS=, and the watchdog (fed only after the queue thread has
//            answered and while every task is up); the capacity gauges:
//            the backlog by priority, its drain forecast at the limiter's
//            effective limit, and each source's lag
//   recount  every 10 s: counts other processes changed (enqueue, dlq)
//   prune    every 10 minutes: call starts no window needs (CallLedger),
//            then dead letters and journal entries past their age
//            (Retention)
// Borrows everything; `config` is the running configuration (updated in
// place on reload). Loop thread only.
class Housekeeping final {
 public:
  Housekeeping(QueueService& queue, Metrics& metrics, Notifier& notifier, const Dispatcher& dispatcher,
               SourceSet& sources, Health& health, Clock& clock, const config::Config& config,
               TaskEvents events);
  ~Housekeeping();

  void Start(const boost::asio::any_io_executor& executor);
  void Stop();

 private:
  [[nodiscard]] boost::asio::awaitable<void> Tick();
  [[nodiscard]] boost::asio::awaitable<void> Capacity();
  [[nodiscard]] boost::asio::awaitable<void> Recount();
  [[nodiscard]] boost::asio::awaitable<void> Prune();

  QueueService& queue_;
  Metrics& metrics_;
  Notifier& notifier_;
  const Dispatcher& dispatcher_;
  SourceSet& sources_;
  Health& health_;
  Clock& clock_;
  const config::Config& config_;
  Retention retention_;
  std::vector<std::unique_ptr<PeriodicTask>> tasks_;
};

}  // namespace leadsync::daemon
