#pragma once

#include <filesystem>

namespace leadsync {

// One daemon per queue file: an exclusive lock on the file QUEUE.lock beside
// the queue (mode 0600, never followed through a symbolic link), taken
// before the queue is opened and held until the object goes away. The
// kernel drops it when the process ends, SIGKILL included, so a lock file
// left behind never blocks; it is never removed (removing it would let two
// processes lock two different files of the same name). The file names the
// holder's PID, for the message a second daemon prints.
//
// flock(2) locks belong to an open file description: two QueueLocks on one
// queue conflict within one process too. Only the queue's owner takes it
// (QueueOptions::owner): the CLI commands work beside the daemon through
// SQLite's own locking. The queue's directory must exist. Not thread-safe.
class QueueLock final {
 public:
  // Throws QueueError "queue PATH in use by PID N (…)" when another holds
  // the lock, or saying why the lock file cannot be opened.
  explicit QueueLock(const std::filesystem::path& queue_path);
  ~QueueLock();
  QueueLock(QueueLock&& other) noexcept;
  QueueLock& operator=(QueueLock&&) = delete;
  QueueLock(const QueueLock&) = delete;
  QueueLock& operator=(const QueueLock&) = delete;

  // QUEUE.lock for the queue file QUEUE.
  [[nodiscard]] static std::filesystem::path PathFor(const std::filesystem::path& queue_path);

 private:
  int fd_ = -1;
};

}  // namespace leadsync
