#include "tests/support/canned_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <mutex>
#include <sstream>
#include <thread>

namespace leadsync::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

std::string HttpResponse(int status, const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) + " Canned\r\nContent-Type: application/json\r\n";
  for (const auto& [name, value] : headers) raw += name + ": " + value + "\r\n";
  return raw + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class CannedServer::Impl final {
 public:
  explicit Impl(std::vector<CannedReply> script)
      : script_(std::move(script)), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    io_.stop();
    thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  [[nodiscard]] int connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }

  [[nodiscard]] int closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  [[nodiscard]] std::vector<std::string> heads() const {
    std::lock_guard lock(mutex_);
    return heads_;
  }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      auto [error, socket] = co_await acceptor_.async_accept(kUseTuple);
      if (error) co_return;
      {
        std::lock_guard lock(mutex_);
        ++connections_;
      }
      asio::co_spawn(io_, Serve(std::move(socket)), asio::detached);
    }
  }

  // Records the request and picks its reply.
  CannedReply Next(const http::request<http::string_body>& request) {
    std::ostringstream head;
    head << request.base();
    std::lock_guard lock(mutex_);
    heads_.push_back(head.str());
    return script_[std::min(heads_.size(), script_.size()) - 1];
  }

  void Close(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.close(ignored);
    std::lock_guard lock(mutex_);
    ++closed_;
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      auto [read_error, read] = co_await http::async_read(socket, buffer, request, kUseTuple);
      if (read_error) co_return;
      const CannedReply reply = Next(request);
      if (reply.action == CannedReply::Action::kHang) {
        asio::steady_timer forever(io_, std::chrono::hours(1));
        co_await forever.async_wait(kUseTuple);
      }
      if (reply.action == CannedReply::Action::kClose) co_return Close(socket);
      auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(reply.raw), kUseTuple);
      if (write_error) co_return;
      if (reply.action == CannedReply::Action::kAnswerThenClose) co_return Close(socket);
    }
  }

  std::vector<CannedReply> script_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  int connections_ = 0;
  int closed_ = 0;
  std::vector<std::string> heads_;
};

CannedServer::CannedServer(std::vector<CannedReply> script)
    : impl_(std::make_unique<Impl>(std::move(script))) {}

CannedServer::~CannedServer() = default;

std::uint16_t CannedServer::port() const { return impl_->port(); }

int CannedServer::connections() const { return impl_->connections(); }

int CannedServer::closed() const { return impl_->closed(); }

std::vector<std::string> CannedServer::request_heads() const { return impl_->heads(); }

}  // namespace leadsync::testing
