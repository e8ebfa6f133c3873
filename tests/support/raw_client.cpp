#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace leadsync::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds Left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

}  // namespace

RawClient::RawClient(std::uint16_t port) : RawClient(port, 0) {}

RawClient::RawClient(std::uint16_t port, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ >= 0 && receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::Send(const std::string& bytes) {
  std::size_t sent = 0;
  while (Open() && sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
}

std::size_t RawClient::SendWithoutWaiting(const std::string& bytes) {
  std::size_t sent = 0;
  while (Open() && sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {
      closed_ = true;
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  return sent;
}

std::size_t RawClient::SendRepeated(const std::string& piece, std::size_t total) {
  std::size_t sent = 0;
  while (Open() && sent < total) {
    Send(piece);
    if (Open()) sent += piece.size();
  }
  return sent;
}

bool RawClient::ReadSome(std::chrono::milliseconds timeout, std::string& into) {
  if (!Open()) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buffer[4096];
  const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::string RawClient::ReadFor(std::chrono::milliseconds timeout, const std::string& until) {
  const auto deadline = Clock::now() + timeout;
  while (received_.find(until) == std::string::npos && Open() && Left(deadline).count() > 0) {
    ReadSome(Left(deadline), received_);
  }
  return received_;
}

bool RawClient::WaitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string discarded;
  while (Open() && Left(deadline).count() > 0) ReadSome(Left(deadline), discarded);
  return !Open();
}

}  // namespace leadsync::testing
