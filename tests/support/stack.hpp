#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {

// `leadsync sandbox` on a free loopback port, as a child process.
class SandboxProcess final {
 public:
  explicit SandboxProcess(std::vector<std::string> extra_args = {});
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return *process_; }

 private:
  std::unique_ptr<Process> process_;
  std::uint16_t port_ = 0;
};

// A config file in `dir` for a daemon talking to `api_host`, with one spool
// source "spool" at dir/spool and the queue at dir/queue.db. `extra` is YAML
// appended under `leadsquared:` (indented two spaces by the caller).
std::filesystem::path WriteDaemonConfig(const TempDir& dir, const std::string& api_host,
                                        const std::string& leadsquared_extra = "",
                                        std::uint16_t metrics_port = 0);

// A loopback port that was free a moment ago (bound, read, closed), for a
// child that must listen where the test knows.
[[nodiscard]] std::uint16_t FreePort();

// `leadsync run -c config` as a child process.
[[nodiscard]] std::unique_ptr<Process> StartDaemon(const std::filesystem::path& config);

// `leadsync ARGS...` to completion.
[[nodiscard]] RunResult Leadsync(const std::vector<std::string>& args, const std::string& input = "");

}  // namespace leadsync::testing
