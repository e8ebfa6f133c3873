#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
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
// `stopping` is set while it is down. The one place such failures are caught.
class Supervisor final {
 public:
  Supervisor(std::string name, Clock& clock, TaskEvents events, SupervisorOptions options = {});

  [[nodiscard]] boost::asio::awaitable<void> Run(std::function<boost::asio::awaitable<void>()> run,
                                                 std::function<boost::asio::awaitable<void>()> recover,
                                                 const bool& stopping);
  // Cuts a pause short (shutdown).
  void Wake() { timer_->Cancel(); }

 private:
  [[nodiscard]] boost::asio::awaitable<bool> Attempt(
      const std::function<boost::asio::awaitable<void>()>& run);
  [[nodiscard]] boost::asio::awaitable<bool> Pause(Duration& pause, const bool& stopping);
  void Report(const std::string& what);

  std::string name_;
  Clock& clock_;
  TaskEvents events_;
  SupervisorOptions options_;
  std::unique_ptr<Timer> timer_;
};

}  // namespace leadsync
