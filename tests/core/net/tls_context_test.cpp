// The HTTPS server's suites, tried by a real TLS client (OpenSSL) against
// HttpServer over loopback: forward secrecy or no handshake.
#include "core/net/tls_context.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <future>
#include <memory>
#include <string>

#include "core/net/http_server.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_server.hpp"

namespace leadsync::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class Hello final : public HttpHandler {
 public:
  asio::awaitable<std::optional<HttpResponse>> Handle(HttpRequest& request, ConnectionState&) override {
    co_return MakeResponse(request.version(), 200, "hello");
  }
};

class TlsServerSuites : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::TestCertificate certificate = testing::MakeCertificate(dir_.path(), "localhost");
    server_ = std::make_unique<HttpServer>(
        io_.get_executor(), ServerLimits{}, std::make_shared<Hello>(),
        MakeServerTlsContext(testing::ReadFile(certificate.certificate), testing::ReadFile(certificate.key)));
    server_->Listen("127.0.0.1:0");
    server_->Start();
    done_ = std::async(std::launch::async, [this] { io_.run(); });
  }

  void TearDown() override {
    server_->Stop();
    EXPECT_EQ(done_.wait_for(5s), std::future_status::ready);
    io_.stop();
    done_.get();
  }

  testing::TempDir dir_;
  asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
  std::future<void> done_;
};

TEST_F(TlsServerSuites, RefusesSuitesWithoutForwardSecrecyOrWithoutAead) {
  for (const char* suite : {"AES128-SHA", "AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384",
                            "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384"}) {
    EXPECT_EQ(testing::NegotiatedCipher(server_->port(), suite), "") << suite;
  }
}

TEST_F(TlsServerSuites, SpeaksEcdheWithAeadOverTls12AndTls13) {
  for (const char* suite :
       {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"}) {
    EXPECT_EQ(testing::NegotiatedCipher(server_->port(), suite), suite);
  }
  // A client that offers the weak suite first still gets a strong one.
  EXPECT_EQ(testing::NegotiatedCipher(server_->port(), "AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256"),
            "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(testing::NegotiatedCipher(server_->port(), "").rfind("TLS_", 0), 0u);
}

}  // namespace
}  // namespace leadsync::net
