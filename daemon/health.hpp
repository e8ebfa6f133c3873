#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace leadsync::daemon {

// What the daemon knows about its own liveness: which of its tasks are down
// and when the queue thread last answered. /healthz, /readyz and the systemd
// watchdog all read it, so they agree. Loop thread only.
class Health final {
 public:
  // The queue thread counts as stalled after this long without an answer.
  static constexpr Duration kQueueStall{15'000};

  explicit Health(const TimeSource& clock) : clock_(clock), queue_answered_(clock.Now()) {}

  void SetTaskState(const std::string& task, bool up);
  void QueueAnswered() { queue_answered_ = clock_.Now(); }

  // For /healthz: why the process cannot do its work (a stalled queue thread).
  [[nodiscard]] std::optional<std::string> Unhealthy() const;
  // For /readyz: Unhealthy(), a task down, or dispatch paused.
  [[nodiscard]] std::optional<std::string> NotReady(bool paused) const;
  // Whether to feed the watchdog: every task up (the loop is alive, since
  // this runs on it, and the caller has just heard from the queue thread).
  [[nodiscard]] bool Alive() const;

 private:
  const TimeSource& clock_;
  TimePoint queue_answered_;
  std::map<std::string, bool> tasks_;
};

}  // namespace leadsync::daemon
