#include "core/queue/queue_lock.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "core/queue/queue.hpp"

namespace leadsync {
namespace {

// O_NONBLOCK: a FIFO planted under the name must not hang the open.
int OpenLockFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
  if (fd < 0) {
    const int error = errno;
    throw QueueError(
        "queue lock file " + path.string() + ": " +
        (error == ELOOP ? "a symbolic link, which leadsync does not follow" : std::strerror(error)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw QueueError("queue lock file " + path.string() + ": not a regular file");
  }
  return fd;
}

// The PID the holder wrote, when the file holds one (the holder may not have
// written it yet, or could not).
std::optional<long> HolderPid(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return std::nullopt;
  long pid = 0;
  const char* end = text + n;
  const auto [stop, error] = std::from_chars(text, end, pid);
  if (error != std::errc{} || pid <= 0 || (stop != end && *stop != '\n')) return std::nullopt;
  return pid;
}

std::string InUse(const std::filesystem::path& queue_path, int fd) {
  const std::optional<long> pid = HolderPid(fd);
  const std::string holder =
      pid ? "PID " + std::to_string(*pid)
          : "another process (no PID could be read from " + QueueLock::PathFor(queue_path).string() + ")";
  return "queue " + queue_path.string() + " in use by " + holder +
         " (one `leadsync run` per queue file; the other commands work beside it)";
}

void WritePid(int fd, const std::filesystem::path& path) {
  const std::string text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    spdlog::warn("queue lock file {}: cannot write this process's PID ({}); the lock holds all the same",
                 path.string(), std::strerror(errno));
  }
}

}  // namespace

QueueLock::QueueLock(const std::filesystem::path& queue_path) {
  const std::filesystem::path path = PathFor(queue_path);
  const int fd = OpenLockFile(path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string message = error == EWOULDBLOCK
                                    ? InUse(queue_path, fd)
                                    : "queue lock file " + path.string() + ": " + std::strerror(error);
    ::close(fd);
    throw QueueError(message);
  }
  fd_ = fd;
  WritePid(fd_, path);
}

QueueLock::~QueueLock() {
  if (fd_ >= 0) ::close(fd_);
}

QueueLock::QueueLock(QueueLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

std::filesystem::path QueueLock::PathFor(const std::filesystem::path& queue_path) {
  std::filesystem::path path = queue_path;
  path += ".lock";
  return path;
}

}  // namespace leadsync
