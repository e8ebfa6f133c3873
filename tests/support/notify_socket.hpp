#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.hpp"

namespace leadsync::testing {

// A bound AF_UNIX datagram socket standing in for systemd's notification
// socket ($NOTIFY_SOCKET): a child's sd_notify() messages arrive here. Each
// datagram is split into its lines ("READY=1", "STATUS=…"), which are read
// in order of arrival. Like systemd, it receives continuously on its own
// thread: sd_notify() blocks once a few datagrams wait unread
// (net.unix.max_dgram_qlen is 10 by default), which would stall a daemon
// whose test is busy elsewhere. The socket file goes away with the object.
class NotifySocket final {
 public:
  // Binds at `path` (at most 107 bytes, the sun_path limit).
  explicit NotifySocket(std::filesystem::path path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Consumes lines until one starts with `prefix` and returns it; nullopt
  // when none arrives within `timeout` (the lines read are consumed anyway).
  // Lines are consumed in order, so two calls assert that one message
  // followed another, whatever came between them.
  [[nodiscard]] std::optional<std::string> NextLine(const std::string& prefix,
                                                    std::chrono::milliseconds timeout);

 private:
  void Receive(const std::stop_token& stop);

  std::filesystem::path path_;
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::string> lines_;
  std::jthread receiver_;
};

// `leadsync run -c config` as a child process whose notifications go to
// `socket`, with `extra_env` ("NAME=VALUE") added. NOTIFY_SOCKET and the
// WATCHDOG_* variables this process may have inherited are removed first,
// so only the test's own values reach the child.
[[nodiscard]] std::unique_ptr<Process> StartNotifyingDaemon(const std::filesystem::path& config,
                                                            const NotifySocket& socket,
                                                            std::vector<std::string> extra_env = {});

}  // namespace leadsync::testing
