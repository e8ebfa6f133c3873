#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>

#include "core/tasks/task_events.hpp"
#include "core/timer.hpp"

namespace leadsync {

struct SupervisorOptions {
  Duration first_pause{1000};  // before the first restart; doubles after each failure
  Duration max_pause{60'000};
  Duration healthy_after{60'000};  // a run this long resets the pause
};

// Keeps one long-running task alive: awaits `run` until it returns; when it
// throws, reports the failure (TaskEvents), awaits `recover` (which puts back
// what the failed run held, e.g. claimed records; retried after each pause
// until it succeeds), waits a pause that doubles up to a minute, and runs it
// again. Returns when `run` returns, or when
// `stopping` is set while it is down. The one place such failures are caught,
// and the one restart policy.
//
// A task that retries a failure by itself rather than throw (a source whose
// database refuses it: it polls again, it is not restarted) tells the
// Supervisor through SetWorking, so that it is down all the same while the
// failure lasts (TaskEvents::on_state), and up again once it works.
//
// Borrows the clock; lives on its executor (the loop); not thread-safe.
class Supervisor final {
 public:
  Supervisor(std::string name, Clock& clock, TaskEvents events, SupervisorOptions options = {});

  [[nodiscard]] boost::asio::awaitable<void> Run(std::function<boost::asio::awaitable<void>()> run,
                                                 std::function<boost::asio::awaitable<void>()> recover,
                                                 const bool& stopping);
  // Cuts a pause short (shutdown).
  void Wake() { timer_->Cancel(); }
  // While `run` runs: whether the task does its work (false: down, true: up
  // again). Reported through on_state when that changes.
  void SetWorking(bool working);

 private:
  [[nodiscard]] boost::asio::awaitable<bool> Attempt(
      const std::function<boost::asio::awaitable<void>()>& run);
  [[nodiscard]] boost::asio::awaitable<bool> Pause(Duration& pause, const bool& stopping);
  void ReportFailure(const std::string& what);
  void SetUp(bool up);

  std::string name_;
  Clock& clock_;
  TaskEvents events_;
  SupervisorOptions options_;
  std::unique_ptr<Timer> timer_;
  std::optional<bool> up_;  // as last told to on_state
};

}  // namespace leadsync
