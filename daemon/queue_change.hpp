#pragma once

#include <chrono>
#include <filesystem>

#include "core/sources/unique_fd.hpp"

namespace leadsync::daemon {

// Wakes a command that waits for the queue to change under it (another
// process, the daemon, commits to the same file): inotify on the queue's
// directory, where every commit writes the database or its WAL. Blocking;
// for one thread of a command, never the daemon's loop.
class QueueChange final {
 public:
  explicit QueueChange(const std::filesystem::path& queue_file);

  // Returns after the queue's files change, or after `at_most` (a change
  // inotify cannot see: the directory cannot be watched).
  void Wait(std::chrono::milliseconds at_most) const;

 private:
  UniqueFd inotify_;
};

}  // namespace leadsync::daemon
