#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace leadsync::daemon {

// What the daemon knows about its own liveness: which of its tasks and
// sources are down and when the queue thread last answered. /healthz,
// /readyz and the systemd watchdog all read it, so they agree. A source down
// fails /readyz but still feeds the watchdog: restarting the daemon does not
// bring back a database or a port that is gone. Loop thread only.
class Health final {
 public:
  // The queue thread counts as stalled after this long without an answer.
  static constexpr Duration kQueueStall{15'000};

  explicit Health(const TimeSource& clock) : clock_(clock), queue_answered_(clock.Now()) {}

  void SetTaskState(const std::string& task, bool up);
  // A source's supervised run: up, or down after a failure until its restart.
  void SetSourceState(const std::string& source, bool up);
  // The sources were stopped (shutdown, or a reload that starts a new set).
  void ForgetSources() { sources_.clear(); }
  void QueueAnswered() { queue_answered_ = clock_.Now(); }

  // For /healthz: why the process cannot do its work (a stalled queue thread).
  [[nodiscard]] std::optional<std::string> Unhealthy() const;
  // For /readyz: Unhealthy(), a task or a source down, or dispatch paused.
  [[nodiscard]] std::optional<std::string> NotReady(bool paused) const;
  // Whether to feed the watchdog: every task up (the loop is alive, since
  // this runs on it, and the caller has just heard from the queue thread).
  [[nodiscard]] bool Alive() const;

 private:
  const TimeSource& clock_;
  TimePoint queue_answered_;
  std::map<std::string, bool> tasks_;
  std::map<std::string, bool> sources_;
};

}  // namespace leadsync::daemon
