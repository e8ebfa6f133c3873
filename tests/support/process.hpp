#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace leadsync::testing {

// A child process with stdout and stderr captured through pipes. The
// destructor kills it (SIGKILL) if it still runs.
class Process final {
 public:
  explicit Process(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Next full line from stdout, or nullopt at EOF or after `timeout`.
  [[nodiscard]] std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  void Signal(int signal);
  // Waits for exit; returns the exit code (128+signal when killed), or
  // nullopt after `timeout`.
  [[nodiscard]] std::optional<int> Wait(std::chrono::milliseconds timeout);
  // Everything read from stderr so far (drained on each call).
  [[nodiscard]] std::string Stderr();
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_buffer_;
  std::mutex err_mutex_;
  std::string err_text_;
  std::thread err_reader_;  // drains stderr so a chatty child never blocks
  std::atomic<bool> err_done_{false};
  std::optional<int> exit_code_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion, feeding `input` on stdin.
[[nodiscard]] RunResult Run(const std::vector<std::string>& argv, const std::string& input = "",
                            std::vector<std::string> extra_env = {});

// Polls `predicate` every 20 ms until it holds or `timeout` passes.
template <class Predicate>
[[nodiscard]] bool WaitFor(Predicate predicate, std::chrono::milliseconds timeout);

}  // namespace leadsync::testing

#include "tests/support/wait_for.ipp"
