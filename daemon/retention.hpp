#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/timer.hpp"

namespace leadsync {
class Metrics;
class QueueService;
}  // namespace leadsync

namespace leadsync::daemon {

// The age bounds of what the queue keeps once nothing needs sending: dead
// letters older than queue.dead_letter_retention and journal entries older
// than queue.history are deleted (zero keeps them forever), each counted in
// leadsync_records_pruned_total{kind}. Ages are measured on `clock` against
// when the entry was written. Housekeeping runs Prune() every kPeriod.
// Borrows everything; `settings` are the running queue settings (a reload
// does not change them). Loop thread only; the deletes run on the queue thread.
class Retention final {
 public:
  static constexpr Duration kPeriod = std::chrono::minutes(10);

  Retention(QueueService& queue, Metrics& metrics, Clock& clock, const config::Queue& settings)
      : queue_(queue), metrics_(metrics), clock_(clock), settings_(settings) {}

  [[nodiscard]] boost::asio::awaitable<void> Prune();

 private:
  QueueService& queue_;
  Metrics& metrics_;
  Clock& clock_;
  const config::Queue& settings_;
};

}  // namespace leadsync::daemon
