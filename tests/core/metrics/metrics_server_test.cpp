#include "core/metrics/metrics_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics/metrics.hpp"
#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"

namespace leadsync {
namespace {

using testing::HttpRequest;

// A MetricsServer on 127.0.0.1:0 with its io_context run by one thread.
class MetricsServerTest : public ::testing::Test {
 protected:
  void Start(ReadinessProbe reason = [] { return std::nullopt; }) {
    server_.emplace(io_, "127.0.0.1:0", metrics_, std::move(reason));
    server_->Start();
    done_ = std::async(std::launch::async, [this] { io_.run(); });
  }

  // Stops the server and reports whether the loop ran out of work.
  [[nodiscard]] bool StopAndDrain() {
    server_->Stop();
    const bool drained = done_.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    if (!drained) io_.stop();
    done_.get();
    return drained;
  }

  void TearDown() override {
    if (done_.valid()) {
      EXPECT_TRUE(StopAndDrain());
    }
  }

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }

  boost::asio::io_context io_;
  Metrics metrics_{{"signups"}};
  std::optional<MetricsServer> server_;
  std::future<void> done_;
};

TEST_F(MetricsServerTest, ServesMetricsAsPrometheusText) {
  Start();
  metrics_.RecordIngested("signups", 2);
  const auto result = HttpRequest(port(), "GET", "/metrics");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.headers.at("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_NE(result.body.find("leadsync_records_ingested_total{source=\"signups\"} 2\n"), std::string::npos);
  EXPECT_NE(result.body.find("process_resident_memory_bytes"), std::string::npos);
}

TEST_F(MetricsServerTest, AnswersHealthz) {
  Start();
  const auto result = HttpRequest(port(), "GET", "/healthz");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "ok");
}

TEST_F(MetricsServerTest, ReadyzFollowsTheReasonFunction) {
  std::atomic<bool> paused{false};
  Start([&paused]() -> std::optional<std::string> {
    if (paused) return "dispatch paused: 401 from LeadSquared";
    return std::nullopt;
  });
  auto result = HttpRequest(port(), "GET", "/readyz");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "ready");
  paused = true;
  result = HttpRequest(port(), "GET", "/readyz");
  EXPECT_EQ(result.status, 503);
  EXPECT_EQ(result.body, "dispatch paused: 401 from LeadSquared");
}

TEST_F(MetricsServerTest, ReadyzFailsWhenTheReasonFunctionThrows) {
  Start([]() -> std::optional<std::string> { throw std::runtime_error("queue file gone"); });
  const auto result = HttpRequest(port(), "GET", "/readyz");
  EXPECT_EQ(result.status, 503);
  EXPECT_EQ(result.body, "check failed: queue file gone");
}

TEST_F(MetricsServerTest, AnswersNotFoundAndMethodNotAllowed) {
  Start();
  EXPECT_EQ(HttpRequest(port(), "GET", "/").status, 404);
  EXPECT_EQ(HttpRequest(port(), "GET", "/metricsz").status, 404);
  const auto post = HttpRequest(port(), "POST", "/metrics");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.headers.at("Allow"), "GET");
  EXPECT_EQ(HttpRequest(port(), "GET", "/healthz?verbose=1").status, 200);
}

// Nothing here takes a body: it is refused unread, and its connection closed.
TEST_F(MetricsServerTest, RefusesEveryRequestWithABodyAndClosesItsConnection) {
  Start();
  for (const std::string framing :
       {"Content-Length: 5\r\n\r\nhello", "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "Content-Length: 100000000\r\n\r\n"}) {
    testing::RawClient client(port());
    client.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + framing);
    const std::string answer = client.ReadFor(std::chrono::seconds(2), "no body");
    EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << framing << ": " << answer;
    EXPECT_TRUE(client.WaitClosed(std::chrono::seconds(2))) << framing;
  }
  EXPECT_EQ(HttpRequest(port(), "POST", "/metrics", "x").status, 413);
  EXPECT_EQ(HttpRequest(port(), "GET", "/healthz").status, 200);
}

TEST_F(MetricsServerTest, ARefusalClosesItsConnection) {
  Start();
  testing::RawClient client(port());
  client.Send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = client.ReadFor(std::chrono::seconds(2), "not found");
  EXPECT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << answer;
  EXPECT_TRUE(client.WaitClosed(std::chrono::seconds(2)));
}

// A scraper's keep-alive connection must not keep the daemon from exiting.
TEST_F(MetricsServerTest, StopClosesKeepAliveConnections) {
  namespace http = boost::beast::http;
  Start();
  boost::asio::io_context client_io;
  boost::beast::tcp_stream stream(client_io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  http::request<http::empty_body> request{http::verb::get, "/healthz", 11};
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  ASSERT_TRUE(response.keep_alive());
  EXPECT_TRUE(StopAndDrain());
  boost::system::error_code ec;
  http::read(stream, buffer, response, ec);
  EXPECT_TRUE(ec);
}

// More idle connections than the cap: the longest idle give way, and a
// probe is answered at once rather than after their deadline.
TEST_F(MetricsServerTest, HealthzAnswersUnderAFloodOfIdleConnections) {
  Start();
  std::vector<std::unique_ptr<testing::RawClient>> flood;
  for (std::size_t i = 0; i < MetricsServer::kMaxConnections + 100; ++i) {
    flood.push_back(std::make_unique<testing::RawClient>(port()));
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(HttpRequest(port(), "GET", "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(flood.front()->WaitClosed(std::chrono::seconds(2)));
  // 101 evictions: the flood's first 100 and one for the probe.
  EXPECT_NE(metrics_.Serialize().find(
                "leadsync_http_connections_dropped_total{reason=\"evicted\",server=\"metrics\"} 101\n"),
            std::string::npos)
      << metrics_.Serialize();
}

TEST_F(MetricsServerTest, RefusesAPortInUse) {
  Start();
  const std::string listen = "127.0.0.1:" + std::to_string(port());
  MetricsServer second(io_.get_executor(), listen, metrics_, [] { return std::nullopt; });
  try {
    second.Start();
    FAIL() << "second bind succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "metrics.listen " + listen + ": address already in use");
  }
}

TEST(MetricsServer, RefusesAMalformedListenAddress) {
  boost::asio::io_context io;
  Metrics metrics({});
  for (const std::string listen : {"9464", "127.0.0.1:", "127.0.0.1:70000", ":9464"}) {
    MetricsServer server(io.get_executor(), listen, metrics, [] { return std::nullopt; });
    EXPECT_THROW(server.Start(), std::runtime_error) << listen;
  }
}

}  // namespace
}  // namespace leadsync
