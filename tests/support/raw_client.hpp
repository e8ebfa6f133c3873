#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace leadsync::testing {

// A plain TCP client on 127.0.0.1:`port` that sends exactly the bytes it is
// given, for tests of what a server does with partial, slow or idle clients.
// Blocking, with deadlines; the socket closes with the object.
class RawClient final {
 public:
  explicit RawClient(std::uint16_t port);
  // With SO_RCVBUF set to `receive_buffer` bytes before connecting (the
  // kernel keeps a floor of a few KiB): a client with a tiny window, that
  // takes answers slowly or not at all.
  RawClient(std::uint16_t port, int receive_buffer);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // False when the connection failed or the server has closed it.
  [[nodiscard]] bool Open() const { return fd_ >= 0 && !closed_; }
  void Send(const std::string& bytes);
  // Sends what the socket takes now, without waiting; how much that was.
  std::size_t SendWithoutWaiting(const std::string& bytes);
  // Sends `piece` again and again until `total` bytes have gone or the
  // connection fails; how many bytes went before it did.
  std::size_t SendRepeated(const std::string& piece, std::size_t total);
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
