#include "tests/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace leadsync::testing {
namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    read = fds[0];
    write = fds[1];
  }
};

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

pid_t Spawn(std::vector<std::string> argv, const std::vector<std::string>& extra_env, int in_fd, int out_fd,
            int err_fd) {
  std::vector<std::string> env = Environment(extra_env);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (in_fd >= 0) dup2(in_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execve(c_argv[0], c_argv.data(), c_env.data());
    _exit(127);
  }
  return pid;
}

// Appends what is readable on `fd` within `timeout`; false at EOF.
bool ReadSome(int fd, std::string& into, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return true;
  char buffer[4096];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

}  // namespace

Process::Process(std::vector<std::string> argv, std::vector<std::string> extra_env) {
  Pipe out;
  Pipe err;
  pid_ = Spawn(std::move(argv), extra_env, -1, out.write, err.write);
  close(out.write);
  close(err.write);
  out_fd_ = out.read;
  err_fd_ = err.read;
  err_reader_ = std::thread([this] {
    char buffer[4096];
    ssize_t n = 0;
    while ((n = read(err_fd_, buffer, sizeof buffer)) > 0) {
      std::lock_guard lock(err_mutex_);
      err_text_.append(buffer, static_cast<std::size_t>(n));
    }
    err_done_ = true;
  });
}

Process::~Process() {
  if (!exit_code_) {
    kill(pid_, SIGKILL);
    (void)Wait(std::chrono::seconds(10));
  }
  err_reader_.join();
  close(out_fd_);
  close(err_fd_);
}

std::optional<std::string> Process::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto nl = out_buffer_.find('\n'); nl != std::string::npos) {
      std::string line = out_buffer_.substr(0, nl);
      out_buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (!ReadSome(out_fd_, out_buffer_, left)) return std::nullopt;
  }
}

void Process::Signal(int signal) {
  if (!exit_code_) kill(pid_, signal);
}

std::optional<int> Process::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = ExitCode(status);
      // The child's stderr ends with it (unless a grandchild holds it): read
      // all of it before returning.
      const auto eof_by = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (!err_done_ && std::chrono::steady_clock::now() < eof_by) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    } else if (std::chrono::steady_clock::now() > deadline) {
      return std::nullopt;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return exit_code_;
}

std::string Process::Stderr() {
  std::lock_guard lock(err_mutex_);
  return err_text_;
}

RunResult Run(const std::vector<std::string>& argv, const std::string& input,
              std::vector<std::string> extra_env) {
  Pipe in;
  Pipe out;
  Pipe err;
  const pid_t pid = Spawn(argv, extra_env, in.read, out.write, err.write);
  close(in.read);
  close(out.write);
  close(err.write);
  std::thread feeder([&] {
    std::size_t done = 0;
    while (done < input.size()) {
      const ssize_t n = write(in.write, input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    close(in.write);
  });
  RunResult result;
  std::thread err_reader([&] {
    while (ReadSome(err.read, result.err, std::chrono::milliseconds(1000))) {
    }
  });
  while (ReadSome(out.read, result.out, std::chrono::milliseconds(1000))) {
  }
  err_reader.join();
  feeder.join();
  close(out.read);
  close(err.read);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = ExitCode(status);
  return result;
}

}  // namespace leadsync::testing
