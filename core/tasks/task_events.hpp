#pragma once

#include <functional>
#include <string>

namespace leadsync {

// What a supervised or periodic task tells the daemon, which wires it to the
// log, leadsync_task_failures_total{task} and readiness. Called on the
// task's executor. Members may be left empty.
struct TaskEvents {
  // The task threw; `what` says what failed.
  std::function<void(const std::string& task, const std::string& what)> on_failure;
  // The task is running (true) or down until its restart (false).
  std::function<void(const std::string& task, bool up)> on_state;
};

}  // namespace leadsync
