#include "tests/support/notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace leadsync::testing {

NotifySocket::NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path_.string();
  if (text.size() >= sizeof address.sun_path)
    throw std::runtime_error("notify socket path too long: " + text);
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string error = std::strerror(errno);
    close(fd_);
    throw std::runtime_error("bind " + text + ": " + error);
  }
  receiver_ = std::jthread([this](const std::stop_token& stop) { Receive(stop); });
}

NotifySocket::~NotifySocket() {
  receiver_.request_stop();
  receiver_.join();
  close(fd_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void NotifySocket::Receive(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) continue;
    std::istringstream datagram(std::string(buffer, static_cast<std::size_t>(n)));
    const std::lock_guard lock(mutex_);
    for (std::string line; std::getline(datagram, line);) lines_.push_back(line);
    arrived_.notify_all();
  }
}

std::optional<std::string> NotifySocket::NextLine(const std::string& prefix,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    while (!lines_.empty()) {
      std::string line = std::move(lines_.front());
      lines_.pop_front();
      if (line.rfind(prefix, 0) == 0) return line;
    }
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout && lines_.empty()) return std::nullopt;
  }
}

std::unique_ptr<Process> StartNotifyingDaemon(const std::filesystem::path& config, const NotifySocket& socket,
                                              std::vector<std::string> extra_env) {
  // Process appends extra_env after the inherited environment, and getenv()
  // returns the first match: an inherited value would win.
  for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}) unsetenv(name);
  extra_env.push_back("NOTIFY_SOCKET=" + socket.path().string());
  return std::make_unique<Process>(std::vector<std::string>{LEADSYNC_BINARY, "run", "-c", config.string()},
                                   std::move(extra_env));
}

}  // namespace leadsync::testing
