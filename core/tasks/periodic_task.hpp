#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "core/tasks/task_events.hpp"
#include "core/timer.hpp"

namespace leadsync {

struct PeriodicTaskOptions {
  std::string name;
  Duration period{1000};
  Duration failure_period{5000};  // after a failed run
  double jitter = 0.1;            // each wait is period ± this share
};

// Background work on a period (housekeeping, pruning, recounting): runs
// `body` at once and then every period with jitter, so that tasks do not
// line up; a run that throws is reported (TaskEvents) and the next comes
// after the slower failure period. Runs on the clock's executor.
class PeriodicTask final {
 public:
  PeriodicTask(PeriodicTaskOptions options, Clock& clock, TaskEvents events,
               std::function<boost::asio::awaitable<void>()> body);

  // Until Stop().
  [[nodiscard]] boost::asio::awaitable<void> Run();
  void Stop();
  [[nodiscard]] const std::string& name() const { return options_.name; }

 private:
  [[nodiscard]] Duration Jittered(Duration period);

  PeriodicTaskOptions options_;
  Clock& clock_;
  TaskEvents events_;
  std::function<boost::asio::awaitable<void>()> body_;
  std::unique_ptr<Timer> timer_;
  std::mt19937 random_{std::random_device{}()};
  bool stopped_ = false;
};

}  // namespace leadsync
