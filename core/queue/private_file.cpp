#include "core/queue/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/queue/queue_error.hpp"

namespace leadsync {
namespace {

[[noreturn]] void Fail(const std::filesystem::path& path, int error) {
  throw QueueError(path.string() + ": " + std::strerror(error));
}

void SyncPath(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) Fail(path, errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) Fail(path, error);
}

}  // namespace

void CreateNewPrivateFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) Fail(path, errno);
  // A umask can only take bits away from 0600; fchmod makes it exact anyway.
  const int rc = ::fchmod(fd, 0600);
  const int error = errno;
  ::close(fd);
  if (rc != 0) Fail(path, error);
}

void PublishFile(const std::filesystem::path& from, const std::filesystem::path& to) {
  SyncPath(from, O_RDONLY);
  if (::rename(from.c_str(), to.c_str()) != 0) Fail(to, errno);
  const std::filesystem::path dir = to.has_parent_path() ? to.parent_path() : ".";
  SyncPath(dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace leadsync
