// The shared HTTP server over real loopback sockets: deadlines, the
// connection cap, refusals before the body, and Stop().
#include "core/net/http_server.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/field.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"

namespace leadsync::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::RawClient;

// Answers 200 "hello" after `delay`; /refused is refused in Screen();
// /throw throws; /drop drops the connection; /big answers 4 MiB.
class TestHandler final : public HttpHandler {
 public:
  static constexpr std::size_t kBig = 4 * 1024 * 1024;  // more than socket buffers hold

  explicit TestHandler(std::chrono::milliseconds delay = 0ms) : delay_(delay) {}

  std::optional<HttpResponse> Screen(const HttpRequestHeader& header) override {
    if (header.target() == "/refused") return MakeResponse(header.version(), 401, "no");
    return std::nullopt;
  }

  asio::awaitable<std::optional<HttpResponse>> Handle(HttpRequest& request,
                                                      ConnectionState& connection) override {
    ++entered;
    if (delay_ > 0ms) {
      asio::steady_timer wait(co_await asio::this_coro::executor, delay_);
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (request.target() == "/throw") throw std::runtime_error("handler failed");
    if (request.target() == "/drop") co_return std::nullopt;
    if (request.target() == "/big") co_return MakeResponse(request.version(), 200, std::string(kBig, 'b'));
    co_return MakeResponse(request.version(), 200,
                           "hello " + std::to_string(connection.requests) + " " + request.body());
  }

  std::atomic<int> entered{0};  // requests that reached Handle()

 private:
  std::chrono::milliseconds delay_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(ServerLimits limits, std::chrono::milliseconds delay = 0ms) {
    handler_ = std::make_shared<TestHandler>(delay);
    limits.on_dropped = [this](DropReason reason) { ++dropped_[static_cast<std::size_t>(reason)]; };
    server_ = std::make_unique<HttpServer>(io_.get_executor(), std::move(limits), handler_);
    server_->Listen("127.0.0.1:0");
    server_->Start();
    done_ = std::async(std::launch::async, [this] { io_.run(); });
  }

  void TearDown() override {
    if (!done_.valid()) return;
    server_->Stop();
    // Serve() returns and the loop runs out of work once every connection has closed.
    EXPECT_EQ(done_.wait_for(5s), std::future_status::ready);
    io_.stop();
    done_.get();
  }

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] int Dropped(DropReason reason) const { return dropped_[static_cast<std::size_t>(reason)]; }

  asio::io_context io_;
  std::array<std::atomic<int>, kDropReasonCount> dropped_{};
  std::shared_ptr<TestHandler> handler_;
  std::unique_ptr<HttpServer> server_;
  std::future<void> done_;
};

ServerLimits Short() {
  ServerLimits limits;
  limits.idle_timeout = 300ms;
  limits.header_timeout = 300ms;
  limits.body_timeout = 300ms;
  limits.write_timeout = 300ms;
  limits.body_limit = 1024;
  return limits;
}

TEST_F(HttpServerTest, AnswersRequestsOnOneKeptAliveConnection) {
  Start(ServerLimits{});
  RawClient client(port());
  client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  const std::string answers = client.ReadFor(2s, "hello 1 hi");
  EXPECT_NE(answers.find("hello 0 "), std::string::npos) << answers;
  EXPECT_NE(answers.find("hello 1 hi"), std::string::npos) << answers;
  EXPECT_TRUE(client.Open());
}

TEST_F(HttpServerTest, ClosesAnIdleKeepAliveConnectionAtItsDeadline) {
  Start(Short());
  RawClient client(port());
  client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(client.ReadFor(2s, "hello").find("hello"), std::string::npos);
  const auto idle_from = Clock::now();
  EXPECT_TRUE(client.WaitClosed(3s));
  EXPECT_GE(Clock::now() - idle_from, 250ms);
}

TEST_F(HttpServerTest, ClosesAClientThatTricklesItsHeader) {
  Start(Short());
  RawClient slow(port());
  const auto start = Clock::now();
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {  // a byte every 50 ms: never a whole header
    slow.Send(i == 0 ? "POST / HTTP/1.1\r\n" : "X");
    closed = slow.WaitClosed(50ms);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST_F(HttpServerTest, ClosesABodyThatDoesNotArriveInTime) {
  Start(Short());
  RawClient slow(port());
  slow.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
  EXPECT_TRUE(slow.WaitClosed(2s));
}

TEST_F(HttpServerTest, RefusesInScreenWithoutWaitingForTheBody) {
  Start(Short());
  RawClient client(port());
  // The body would be a gigabyte: the answer must not wait for it.
  client.Send("POST /refused HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n");
  const std::string answer = client.ReadFor(2s, "no");
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_TRUE(client.WaitClosed(2s));
}

TEST_F(HttpServerTest, AnswersBodiesOverTheLimitWith413) {
  Start(Short());
  EXPECT_EQ(testing::HttpRequest(port(), "POST", "/", std::string(1025, 'x')).status, 413);
  EXPECT_EQ(testing::HttpRequest(port(), "POST", "/", std::string(1024, 'x')).status, 200);
  RawClient chunked(port());
  chunked.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" +
               std::string(1024, 'x') + "\r\n1\r\ny\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.ReadFor(2s, "too large").rfind("HTTP/1.1 413", 0), 0u);
}

TEST_F(HttpServerTest, ARefusalClosesTheConnectionEvenWithoutABody) {
  Start(ServerLimits{});
  RawClient client(port());
  client.Send("GET /refused HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = client.ReadFor(2s, "no");
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_TRUE(client.WaitClosed(2s));
  EXPECT_EQ(handler_->entered, 0) << "the request after the refusal was not served";
}

// Only a lone `chunked` frames a body: with any other coding the end of the
// body is unknown, and what follows would be read as the next request.
TEST_F(HttpServerTest, RefusesEveryTransferCodingButChunkedWith501AndCloses) {
  Start(ServerLimits{});
  for (const std::string coding : {"chunked, identity", "gzip, chunked", "identity", "gzip"}) {
    RawClient client(port());
    client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                "\r\n\r\n2\r\nhi\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string answer = client.ReadFor(2s, "supported");
    EXPECT_EQ(answer.rfind("HTTP/1.1 501", 0), 0u) << coding << ": " << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << coding << ": " << answer;
    EXPECT_TRUE(client.WaitClosed(2s)) << coding;
  }
  EXPECT_EQ(handler_->entered, 0);
  RawClient chunked(port());
  chunked.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
  EXPECT_NE(chunked.ReadFor(2s, "hello 0 hi").find("hello 0 hi"), std::string::npos);
}

// Beast bounds neither a chunk's extensions nor the trailer: the
// connection's buffer must. The server closes (resets) the connection long
// before the client is done; the kernel's buffers take the rest.
TEST_F(HttpServerTest, ClosesAChunkExtensionOrTrailerThatOutgrowsTheBuffer) {
  Start(ServerLimits{});
  constexpr std::size_t kFlood = 256 * 1024 * 1024;
  const std::string filler(64 * 1024, 'e');
  RawClient extension(port());
  extension.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=");
  EXPECT_LT(extension.SendRepeated(filler, kFlood), kFlood / 4);
  EXPECT_TRUE(extension.WaitClosed(2s));
  RawClient trailer(port());
  trailer.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: ");
  EXPECT_LT(trailer.SendRepeated(filler, kFlood), kFlood / 4);
  EXPECT_TRUE(trailer.WaitClosed(2s));
  EXPECT_EQ(handler_->entered, 0);
}

// Clients that ask for large answers and never read them: once every slot is
// taken, a new client still gets its answer, in place of the one stuck longest.
TEST_F(HttpServerTest, AWriterThatDoesNotReadGivesWayToANewConnection) {
  ServerLimits limits;
  limits.max_connections = 2;
  limits.write_timeout = 3s;  // well after the checks; ends the one left for TearDown
  Start(limits);
  std::vector<std::unique_ptr<RawClient>> stuck;
  for (int i = 0; i < 2; ++i) {
    stuck.push_back(std::make_unique<RawClient>(port(), 1024));
    stuck.back()->Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(testing::WaitFor([&] { return handler_->entered == i + 1; }, 2s));
  }
  EXPECT_EQ(testing::HttpRequest(port(), "GET", "/").status, 200);
  EXPECT_EQ(Dropped(DropReason::kEvicted), 1);
  int closed = 0;
  for (auto& client : stuck) closed += client->WaitClosed(500ms) ? 1 : 0;
  EXPECT_EQ(closed, 1) << "one stuck writer made room";
  EXPECT_EQ(Dropped(DropReason::kFull), 0);
}

TEST_F(HttpServerTest, EndsAWriterThatDoesNotReadAtTheWriteTimeout) {
  Start(Short());
  RawClient stuck(port(), 1024);
  stuck.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(testing::WaitFor([this] { return handler_->entered == 1; }, 2s));
  EXPECT_TRUE(testing::WaitFor([this] { return Dropped(DropReason::kWriteTimeout) == 1; }, 3s));
  EXPECT_TRUE(stuck.WaitClosed(1s));
}

TEST_F(HttpServerTest, CountsAHeaderThatMissesItsDeadline) {
  Start(Short());
  RawClient slow(port());
  slow.Send("GET / HTTP/1.1\r\n");
  EXPECT_TRUE(slow.WaitClosed(2s));
  EXPECT_TRUE(testing::WaitFor([this] { return Dropped(DropReason::kReadTimeout) == 1; }, 1s));
  RawClient idle(port());
  EXPECT_TRUE(idle.WaitClosed(2s));
  EXPECT_EQ(Dropped(DropReason::kReadTimeout), 1) << "an idle connection's deadline is no drop";
}

TEST_F(HttpServerTest, AnswersAHandlerFailureWith500AndADropWithAReset) {
  Start(ServerLimits{});
  EXPECT_EQ(testing::HttpRequest(port(), "GET", "/throw").status, 500);
  EXPECT_EQ(testing::HttpRequest(port(), "GET", "/drop").status, 0);
  EXPECT_EQ(testing::HttpRequest(port(), "GET", "/").status, 200);
}

// A flood of connections that send nothing costs at most max_connections
// descriptors, and a new client is still answered at once.
TEST_F(HttpServerTest, AFullServerGivesTheLongestIdleConnectionsPlace) {
  ServerLimits limits;
  limits.max_connections = 8;
  Start(limits);
  std::vector<std::unique_ptr<RawClient>> flood;
  for (int i = 0; i < 40; ++i) flood.push_back(std::make_unique<RawClient>(port()));
  const auto start = Clock::now();
  EXPECT_EQ(testing::HttpRequest(port(), "GET", "/").status, 200);
  EXPECT_LT(Clock::now() - start, 1s);
  // The oldest were closed to make room; the newest few are still open.
  EXPECT_TRUE(flood.front()->WaitClosed(2s));
  EXPECT_FALSE(flood.back()->WaitClosed(100ms));
}

TEST_F(HttpServerTest, ANewConnectionIsClosedWhenEveryOneIsInItsHandler) {
  ServerLimits limits;
  limits.max_connections = 2;
  Start(limits, 600ms);
  std::vector<std::unique_ptr<RawClient>> busy;
  for (int i = 0; i < 2; ++i) {
    busy.push_back(std::make_unique<RawClient>(port()));
    busy.back()->Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  ASSERT_TRUE(testing::WaitFor([this] { return handler_->entered == 2; }, 2s));
  RawClient refused(port());
  EXPECT_TRUE(refused.WaitClosed(300ms));
  EXPECT_EQ(Dropped(DropReason::kFull), 1);
  for (auto& client : busy) EXPECT_NE(client->ReadFor(2s, "hello").find("hello"), std::string::npos);
}

TEST_F(HttpServerTest, StopLetsARequestBeingAnsweredFinish) {
  Start(ServerLimits{}, 300ms);
  RawClient answering(port());
  RawClient idle(port());
  answering.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(testing::WaitFor([this] { return handler_->entered == 1; }, 2s));
  server_->Stop();
  EXPECT_TRUE(idle.WaitClosed(1s));
  const std::string answer = answering.ReadFor(2s, "hello");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_TRUE(answering.WaitClosed(1s));
}

TEST(HttpServer, RefusesAMalformedOrTakenAddress) {
  asio::io_context io;
  HttpServer first(io.get_executor(), ServerLimits{}, std::make_shared<TestHandler>());
  first.Listen("127.0.0.1:0");
  HttpServer second(io.get_executor(), ServerLimits{}, std::make_shared<TestHandler>());
  const std::string taken = "127.0.0.1:" + std::to_string(first.port());
  try {
    second.Listen(taken);
    FAIL() << "bound twice";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), taken + ": address already in use");
  }
  EXPECT_THROW(second.Listen("9464"), std::runtime_error);
  EXPECT_THROW(second.Listen("127.0.0.1:70000"), std::runtime_error);
}

}  // namespace
}  // namespace leadsync::net
