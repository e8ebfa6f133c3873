#include "daemon/restart_settings.hpp"

#include <chrono>

namespace leadsync::daemon {
namespace {

std::string Text(const std::string& value) { return value; }
std::string Text(const std::filesystem::path& value) { return value.string(); }
std::string Text(std::int64_t value) { return std::to_string(value); }
std::string Text(config::SyncMode mode) { return mode == config::SyncMode::kFull ? "full" : "normal"; }
// As the file may write it: whole days, hours, minutes or seconds.
std::string Text(config::Duration value) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(value).count();
  if (seconds * 1000 != value.count()) return std::to_string(value.count()) + "ms";
  for (const auto& [unit, size] : {std::pair{"d", 86400}, {"h", 3600}, {"m", 60}}) {
    if (seconds != 0 && seconds % size == 0) return std::to_string(seconds / size) + unit;
  }
  return std::to_string(seconds) + "s";
}

template <class T>
void Compare(std::vector<std::string>& out, const char* key, const T& running, const T& next,
             const char* still = "still") {
  if (running == next) return;
  out.push_back(std::string(key) + " changed to " + Text(next) + "; " + still + " " + Text(running) +
                " until restart");
}

}  // namespace

std::vector<std::string> DescribeRestartSettings(const config::Config& running, const config::Config& next) {
  std::vector<std::string> out;
  const config::Queue& was = running.queue;
  const config::Queue& now = next.queue;
  Compare(out, "queue.path", was.path, now.path);
  Compare(out, "queue.sync", was.sync, now.sync);
  Compare(out, "queue.max_pending", was.max_pending, now.max_pending);
  Compare(out, "queue.history", was.history, now.history);
  Compare(out, "queue.dead_letter_retention", was.dead_letter_retention, now.dead_letter_retention);
  // A queue setting added without a line above still says it waits.
  if (was != now && out.empty()) out.push_back("queue settings changed; the running ones stay until restart");
  Compare(out, "metrics.listen", running.metrics.listen, next.metrics.listen, "still serving");
  return out;
}

}  // namespace leadsync::daemon
