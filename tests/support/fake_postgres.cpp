#include "tests/support/fake_postgres.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <mutex>
#include <thread>

namespace leadsync::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Request codes of the untyped first messages (PostgreSQL's protocol, 53.7).
constexpr std::uint32_t kSslRequest = 80877103;
constexpr std::uint32_t kGssEncRequest = 80877104;
// Messages are capped, so that a confused client cannot make the fake wait
// for gigabytes.
constexpr std::uint32_t kLargestMessage = 64 * 1024;

std::uint32_t BigEndian(const char* bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::string Int32(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

// AuthenticationCleartextPassword: 'R', length 8, code 3.
const std::string kAskCleartext = "R" + Int32(8) + Int32(3);
// ErrorResponse: FATAL 28P01, after whatever the client answered.
const std::string kRefused = [] {
  const std::string fields = std::string("SFATAL\0", 7) + std::string("C28P01\0", 7) +
                             std::string("Mpassword authentication failed\0", 32) + std::string(1, '\0');
  return "E" + Int32(static_cast<std::uint32_t>(4 + fields.size())) + fields;
}();

}  // namespace

class FakePostgres::Impl final {
 public:
  Impl() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    io_.stop();
    thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  [[nodiscard]] int finished() const {
    std::lock_guard lock(mutex_);
    return finished_;
  }

  [[nodiscard]] std::string received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

  [[nodiscard]] int password_messages() const {
    std::lock_guard lock(mutex_);
    return password_messages_;
  }

 private:
  struct Connection {
    tcp::socket socket;
    std::string received;
    int password_messages = 0;
  };

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [error, socket] = co_await acceptor_.async_accept(kUseTuple);
      if (error) co_return;
      asio::co_spawn(io_, Serve(Connection{std::move(socket), "", 0}), asio::detached);
    }
  }

  asio::awaitable<void> Serve(Connection connection) {
    co_await Talk(connection);
    std::lock_guard lock(mutex_);
    received_ += connection.received;
    password_messages_ += connection.password_messages;
    ++finished_;
  }

  // Reads `n` bytes into the connection's record; false at the end of the stream.
  static asio::awaitable<bool> Read(Connection& connection, std::size_t n, std::string& out) {
    out.assign(n, '\0');
    auto [error, read] = co_await asio::async_read(connection.socket, asio::buffer(out), kUseTuple);
    out.resize(read);
    connection.received += out;
    co_return !error;
  }

  static asio::awaitable<bool> Write(Connection& connection, const std::string& bytes) {
    auto [error, written] = co_await asio::async_write(connection.socket, asio::buffer(bytes), kUseTuple);
    co_return !error;
  }

  // An untyped message (the first ones): its request code, or 0.
  static asio::awaitable<std::uint32_t> ReadFirst(Connection& connection) {
    std::string head;
    if (!co_await Read(connection, 4, head)) co_return 0;
    const std::uint32_t length = BigEndian(head.data());
    if (length < 8 || length > kLargestMessage) co_return 0;
    std::string body;
    if (!co_await Read(connection, length - 4, body)) co_return 0;
    co_return BigEndian(body.data());
  }

  static asio::awaitable<void> Talk(Connection& connection) {
    std::uint32_t code = co_await ReadFirst(connection);
    while (code == kSslRequest || code == kGssEncRequest) {
      if (!co_await Write(connection, "N")) co_return;
      code = co_await ReadFirst(connection);
    }
    if (code == 0 || !co_await Write(connection, kAskCleartext)) co_return;
    std::string head;
    if (!co_await Read(connection, 5, head)) co_return;
    const std::uint32_t length = BigEndian(head.data() + 1);
    if (length < 4 || length > kLargestMessage) co_return;
    std::string body;
    if (!co_await Read(connection, length - 4, body)) co_return;
    if (head[0] == 'p') ++connection.password_messages;
    static_cast<void>(co_await Write(connection, kRefused));
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  int finished_ = 0;
  int password_messages_ = 0;
  std::string received_;
};

FakePostgres::FakePostgres() : impl_(std::make_unique<Impl>()) {}

FakePostgres::~FakePostgres() = default;

std::uint16_t FakePostgres::port() const { return impl_->port(); }

int FakePostgres::finished() const { return impl_->finished(); }

std::string FakePostgres::received() const { return impl_->received(); }

int FakePostgres::password_messages() const { return impl_->password_messages(); }

}  // namespace leadsync::testing
