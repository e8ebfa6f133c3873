#include "daemon/health.hpp"

#include <algorithm>

namespace leadsync::daemon {

void Health::SetTaskState(const std::string& task, bool up) { tasks_[task] = up; }

void Health::SetSourceState(const std::string& source, bool up) { sources_[source] = up; }

std::optional<std::string> Health::Unhealthy() const {
  const Duration silent = clock_.Now() - queue_answered_;
  if (silent < kQueueStall) return std::nullopt;
  return "queue thread has not answered for " +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(silent).count()) + " s";
}

std::optional<std::string> Health::NotReady(bool paused) const {
  if (auto unhealthy = Unhealthy()) return unhealthy;
  for (const auto& [task, up] : tasks_) {
    if (!up) return task + " is down after a failure; restarting with backoff";
  }
  for (const auto& [source, up] : sources_) {
    // Restarted by its Supervisor, or retrying by itself (a poll, a rescan).
    if (!up) return "source " + source + " is down after a failure; retrying with backoff";
  }
  if (paused) return std::string("dispatch paused: the API refused the credentials or the path");
  return std::nullopt;
}

bool Health::Alive() const {
  return std::all_of(tasks_.begin(), tasks_.end(), [](const auto& task) { return task.second; });
}

}  // namespace leadsync::daemon
