// Raw bytes from one client to the shared HTTP server (core/net, under the
// metrics endpoint, the webhook and the sandbox), over a real loopback
// connection served on an io_context in this process; the answers are read
// back and must each begin with a status line.
//
// An input that begins with '~' is stretched: after it, its last byte is
// sent again and again until 16 MiB have gone or the server has closed, the
// way a client streams an endless header, chunk extension or trailer. run_fuzzer.sh runs this target with
// -malloc_limit_mb=8, so a connection buffer that grows with what the peer
// sends is a crash.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>

#include "core/net/http_server.hpp"

namespace {

namespace asio = boost::asio;
namespace net = leadsync::net;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr char kStretch = '~';
constexpr std::size_t kStretchPiece = 64 * 1024;
constexpr std::size_t kStretchTo = 16 * 1024 * 1024;

// Refuses /refused in Screen() (as the webhook refuses a missing token);
// answers anything else with the size of its body.
class EchoHandler final : public net::HttpHandler {
 public:
  std::optional<net::HttpResponse> Screen(const net::HttpRequestHeader& header) override {
    if (header.target().starts_with("/refused")) return net::MakeResponse(header.version(), 401, "no");
    return std::nullopt;
  }

  asio::awaitable<std::optional<net::HttpResponse>> Handle(net::HttpRequest& request,
                                                           net::ConnectionState& /*connection*/) override {
    co_return net::MakeResponse(request.version(), 200, std::to_string(request.body().size()));
  }
};

// Deadlines short enough that a connection the server forgets to end shows
// as a slow input (libFuzzer's -timeout), never as a hang.
net::ServerLimits Limits() {
  net::ServerLimits limits;
  limits.name = "fuzz";
  limits.idle_timeout = 2s;
  limits.header_timeout = 2s;
  limits.body_timeout = 2s;
  limits.write_timeout = 2s;
  return limits;
}

struct Harness {
  Harness() : server(io.get_executor(), Limits(), std::make_shared<EchoHandler>()) {
    server.Listen("127.0.0.1:0");
    server.Start();
  }
  asio::io_context io;
  net::HttpServer server;
};

asio::awaitable<void> Send(tcp::socket& socket, std::string_view input, int& running) {
  auto [error, sent] = co_await asio::async_write(socket, asio::buffer(input), kAsTuple);
  if (input.starts_with(kStretch)) {
    const std::string piece(kStretchPiece, input.back());
    while (!error && sent < kStretchTo) {
      std::size_t more = 0;
      std::tie(error, more) = co_await asio::async_write(socket, asio::buffer(piece), kAsTuple);
      sent += more;
    }
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  --running;
}

asio::awaitable<void> Receive(tcp::socket& socket, std::string& answers, int& running) {
  char chunk[16 * 1024];
  while (true) {
    const auto [error, read] = co_await socket.async_read_some(asio::buffer(chunk), kAsTuple);
    if (error) break;
    answers.append(chunk, read);
  }
  --running;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness* const harness = new Harness();  // lives as long as the process
  asio::io_context& io = harness->io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), harness->server.port()});
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string answers;
  int running = 2;
  asio::co_spawn(io, Send(socket, input, running), asio::detached);
  asio::co_spawn(io, Receive(socket, answers, running), asio::detached);
  while (running > 0) io.run_one();
  // Whatever the server sends starts with a status line ("HTTP/1.1 200"...).
  if (!answers.empty() && !answers.starts_with("HTTP/")) std::abort();
  return 0;
}
