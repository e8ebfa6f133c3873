// HTTPS: the client verifies the server's certificate and its host name
// against the system's trust store, over a real TLS handshake.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/http/leadsquared_client.hpp"
#include "tests/support/run_awaitable.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_server.hpp"

namespace leadsync {
namespace {

constexpr const char* kAnswer =
    R"([{"RowNumber":1,"LeadId":"L1","LeadCreated":true,"LeadUpdated":false,"AffectedRows":1}])";

class TlsTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("SSL_CERT_FILE"); }

  // OpenSSL's default verify paths honour SSL_CERT_FILE: the test trusts its
  // own self-signed certificate the way a system CA store would.
  void Trust(const testing::TestCertificate& certificate) {
    setenv("SSL_CERT_FILE", certificate.certificate.c_str(), 1);
  }

  ApiOutcome Send(std::uint16_t port, bool verify) {
    ClientOptions options;
    options.endpoint = *ParseEndpoint("https://localhost:" + std::to_string(port));
    options.access_key = "k";
    options.secret_key = "s";
    options.request_timeout = std::chrono::milliseconds(5000);
    options.tls_verify = verify;
    boost::asio::io_context io;
    LeadSquaredClient client(io.get_executor(), options);
    return testing::RunAwaitable(
        io, client.SendBatch(R"([[{"Attribute":"EmailAddress","Value":"a@x.com"}]])", 1));
  }

  testing::TempDir dir_;
};

TEST_F(TlsTest, TrustedCertificateForTheHostIsAccepted) {
  const auto certificate = testing::MakeCertificate(dir_.path(), "localhost");
  testing::TlsServer server(certificate, kAnswer);
  Trust(certificate);
  const ApiOutcome outcome = Send(server.port(), true);
  EXPECT_EQ(outcome.kind, OutcomeKind::kOk) << outcome.message;
  ASSERT_EQ(outcome.rows.size(), 1u);
  EXPECT_EQ(outcome.rows[0].lead_id, "L1");
}

TEST_F(TlsTest, UntrustedCertificateIsRefused) {
  const auto certificate = testing::MakeCertificate(dir_.path(), "localhost");
  testing::TlsServer server(certificate, kAnswer);
  const ApiOutcome outcome = Send(server.port(), true);
  EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
  EXPECT_TRUE(outcome.rows.empty());
}

TEST_F(TlsTest, CertificateForAnotherHostIsRefusedEvenWhenTrusted) {
  const auto certificate = testing::MakeCertificate(dir_.path(), "api.elsewhere.example");
  testing::TlsServer server(certificate, kAnswer);
  Trust(certificate);
  EXPECT_EQ(Send(server.port(), true).kind, OutcomeKind::kNetwork);
}

TEST_F(TlsTest, VerificationOffAcceptsAnyCertificate) {
  const auto certificate = testing::MakeCertificate(dir_.path(), "api.elsewhere.example");
  testing::TlsServer server(certificate, kAnswer);
  EXPECT_EQ(Send(server.port(), false).kind, OutcomeKind::kOk);
}

}  // namespace
}  // namespace leadsync
