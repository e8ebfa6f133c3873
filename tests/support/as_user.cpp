#include "tests/support/as_user.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace leadsync::testing {

bool CanActAsOtherUsers() { return ::geteuid() == 0; }

int RunAs(const Identity& who, mode_t mask, const std::function<int()>& action) {
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    // The child only makes system calls and leaves with _exit: no
    // destructor or atexit handler of the test process runs twice.
    if (::setgroups(who.groups.size(), who.groups.data()) != 0 ||
        ::setresgid(who.gid, who.gid, who.gid) != 0 || ::setresuid(who.uid, who.uid, who.uid) != 0) {
      ::_exit(255);
    }
    ::umask(mask);
    ::_exit(action() & 0xff);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) == 255) return -1;
  return WEXITSTATUS(status);
}

int OpenAs(const Identity& who, const std::filesystem::path& path) {
  return RunAs(who, 022, [&] {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return errno;
    ::close(fd);
    return 0;
  });
}

int DropAs(const Identity& who, mode_t mask, const std::filesystem::path& dir, const std::string& name,
           const std::string& text, std::optional<mode_t> mode) {
  const std::filesystem::path writing = dir / ("." + name);
  return RunAs(who, mask, [&] {
    const int fd = ::open(writing.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return errno;
    int error = 0;
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) error = EIO;
    if (error == 0 && mode && ::fchmod(fd, *mode) != 0) error = errno;
    ::close(fd);
    if (error != 0) return error;
    return ::rename(writing.c_str(), (dir / name).c_str()) == 0 ? 0 : errno;
  });
}

std::vector<std::string> CommandAs(const Identity& who, std::vector<std::string> argv) {
  std::string groups;
  for (const gid_t group : who.groups) groups += (groups.empty() ? "" : ",") + std::to_string(group);
  // util-linux's setpriv, at an absolute path: Process does not search $PATH.
  const char* setpriv = ::access("/usr/bin/setpriv", X_OK) == 0 ? "/usr/bin/setpriv" : "/bin/setpriv";
  std::vector<std::string> command = {setpriv, "--reuid=" + std::to_string(who.uid),
                                      "--regid=" + std::to_string(who.gid),
                                      groups.empty() ? "--clear-groups" : "--groups=" + groups, "--"};
  command.insert(command.end(), argv.begin(), argv.end());
  return command;
}

void ChangeOwner(const std::filesystem::path& path, uid_t uid, gid_t gid) {
  if (::chown(path.c_str(), uid, gid) != 0) {
    throw std::runtime_error("chown " + path.string() + ": " + std::strerror(errno));
  }
}

}  // namespace leadsync::testing
