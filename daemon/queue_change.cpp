#include "daemon/queue_change.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>

namespace leadsync::daemon {

QueueChange::QueueChange(const std::filesystem::path& queue_file)
    : inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (inotify_.get() < 0) return;
  const std::filesystem::path dir = queue_file.has_parent_path() ? queue_file.parent_path() : ".";
  // Without the watch, Wait() still returns after its bound.
  static_cast<void>(::inotify_add_watch(inotify_.get(), dir.c_str(), IN_MODIFY | IN_CLOSE_WRITE));
}

void QueueChange::Wait(std::chrono::milliseconds at_most) const {
  pollfd ready{inotify_.get(), POLLIN, 0};
  if (::poll(&ready, 1, static_cast<int>(at_most.count())) <= 0) return;
  // Consumes what is queued: the caller looks at the queue again anyway.
  std::array<char, 4096> events{};
  while (::read(inotify_.get(), events.data(), events.size()) > 0) {
  }
}

}  // namespace leadsync::daemon
