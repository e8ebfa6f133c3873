#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace leadsync::testing {

// A plain TCP client on 127.0.0.1:`port` that sends exactly the bytes it is
// given, for tests of what a server does with partial, slow or idle clients.
// Blocking, with deadlines; the socket closes with the object.
class RawClient final {
 public:
  explicit RawClient(std::uint16_t port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // False when the connection failed or the server has closed it.
  [[nodiscard]] bool Open() const { return fd_ >= 0 && !closed_; }
  void Send(const std::string& bytes);
  // What arrives until `until` is in it, the server closes, or `timeout` passes.
  [[nodiscard]] std::string ReadFor(std::chrono::milliseconds timeout, const std::string& until);
  // Whether the server closes (or resets) the connection within `timeout`;
  // what arrives meanwhile is discarded.
  [[nodiscard]] bool WaitClosed(std::chrono::milliseconds timeout);

 private:
  // Waits up to `timeout` for data; false at EOF, reset or timeout.
  bool ReadSome(std::chrono::milliseconds timeout, std::string& into);

  int fd_ = -1;
  bool closed_ = false;
  std::string received_;
};

}  // namespace leadsync::testing
