#include "core/sources/pg_connection.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "config/dsn_tls.hpp"
#include "tests/support/fake_postgres.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack.hpp"

namespace leadsync {
namespace {

constexpr const char* kPassword = "hunter2-secret";

TEST(PgConnection, MalformedDsnIsReportedWithoutQuotingIt) {
  std::string error;
  EXPECT_EQ(PgConnection::Connect(std::string("password=") + kPassword + " no_such_option=1", &error),
            nullptr);
  EXPECT_NE(error.find("not a valid libpq connection string"), std::string::npos) << error;
  EXPECT_EQ(error.find(kPassword), std::string::npos) << error;
  EXPECT_EQ(error.find("no_such_option"), std::string::npos) << error;
}

TEST(PgConnection, RefusedConnectionIsOneLineWithoutThePassword) {
  const std::string dsn = "host=127.0.0.1 port=" + std::to_string(testing::FreePort()) +
                          " user=nobody password=" + kPassword + " connect_timeout=5";
  std::string error;
  EXPECT_EQ(PgConnection::Connect(dsn, &error), nullptr);
  EXPECT_EQ(error.rfind("cannot connect: ", 0), 0u) << error;
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_EQ(error.find(kPassword), std::string::npos) << error;
}

TEST(PgConnection, MessagesAreCleanedOfLineBreaksAndTheSecret) {
  EXPECT_EQ(CleanPgMessage("FATAL:  password hunter2-secret\n\tis wrong\n", kPassword),
            "FATAL: password *** is wrong");
  EXPECT_EQ(CleanPgMessage("no secret here", ""), "no secret here");
}

// A server on the path that declines TLS and asks for the password in
// clear: under the default sslmode (verify-full) libpq hangs up at the 'N'.
TEST(PgConnectionTls, DefaultSendsNoPasswordToAServerThatDeclinesTls) {
  testing::FakePostgres fake;
  const std::string dsn = "host=127.0.0.1 port=" + std::to_string(fake.port()) +
                          " user=leadsync dbname=crm connect_timeout=5 password=" + kPassword;
  std::string error;
  EXPECT_EQ(PgConnection::Connect(dsn, &error), nullptr);
  ASSERT_TRUE(testing::WaitFor([&] { return fake.finished() >= 1; }, std::chrono::seconds(5)));
  EXPECT_EQ(fake.password_messages(), 0);
  EXPECT_EQ(fake.received().find(kPassword), std::string::npos);
  EXPECT_NE(error.find("SSL was required"), std::string::npos) << error;
  EXPECT_NE(error.find("leadsync connects with sslmode=verify-full unless the dsn sets sslmode"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find(kPassword), std::string::npos) << error;
}

// The DSN overrides the default, in both of libpq's forms; a weaker mode is
// the user's choice, warned about (config::WeakTlsWarning) but obeyed.
TEST(PgConnectionTls, ExplicitWeakerSslModeIsObeyed) {
  testing::FakePostgres fake;
  const std::string port = std::to_string(fake.port());
  for (const std::string& dsn : {"host=127.0.0.1 port=" + port +
                                     " user=leadsync connect_timeout=5 sslmode=prefer password=" + kPassword,
                                 "postgresql://leadsync:" + std::string(kPassword) + "@127.0.0.1:" + port +
                                     "/crm?sslmode=disable&connect_timeout=5"}) {
    ASSERT_TRUE(config::WeakTlsWarning(dsn).has_value()) << dsn;
    std::string error;
    EXPECT_EQ(PgConnection::Connect(dsn, &error), nullptr);
    EXPECT_NE(error.find("password authentication failed"), std::string::npos) << error;
    EXPECT_EQ(error.find(kPassword), std::string::npos) << error;
  }
  ASSERT_TRUE(testing::WaitFor([&] { return fake.finished() >= 2; }, std::chrono::seconds(5)));
  EXPECT_EQ(fake.password_messages(), 2);
}

class PgConnectionTlsServer : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = testing::PostgresServer::Unavailable(); !why.empty()) GTEST_SKIP() << why;
    server_ = std::make_unique<testing::PostgresServer>();
  }

  // Whether the connection that runs it uses TLS, as the server sees it.
  static std::string Ssl(PgConnection& connection) {
    PgOutcome outcome = connection.Execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    if (!outcome.result || outcome.result->rows() != 1) return "?" + outcome.error;
    return std::string(outcome.result->Value(0, 0));
  }

  std::unique_ptr<testing::PostgresServer> server_;
};

TEST_F(PgConnectionTlsServer, DefaultVerifiesTheServerCertificateAndName) {
  std::string error;
  std::unique_ptr<PgConnection> connection = PgConnection::Connect(server_->dsn(), &error);
  ASSERT_NE(connection, nullptr) << error;
  EXPECT_EQ(Ssl(*connection), "t");

  testing::TempDir dir;
  const std::string other = (dir / "other.crt").string();
  ASSERT_EQ(testing::Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                          "-keyout", (dir / "other.key").string(), "-out", other})
                .exit_code,
            0);
  EXPECT_EQ(PgConnection::Connect(server_->dsn("sslrootcert=" + other), &error), nullptr);
  EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
  EXPECT_NE(error.find("leadsync connects with sslmode=verify-full"), std::string::npos) << error;
}

// libpq never uses TLS on a Unix socket, whatever sslmode says: the default
// costs socket users nothing.
TEST_F(PgConnectionTlsServer, UnixSocketConnectsWithoutTls) {
  const std::string dsn =
      "host=" + server_->socket_dir() + " port=" + std::to_string(server_->port()) + " user=postgres";
  EXPECT_FALSE(config::WeakTlsWarning(dsn + " sslmode=disable").has_value());
  std::string error;
  std::unique_ptr<PgConnection> connection = PgConnection::Connect(dsn, &error);
  ASSERT_NE(connection, nullptr) << error;
  EXPECT_EQ(Ssl(*connection), "f");
}

// A query that raises a notice per row (or a hostile server) must not flood
// the log: each connection logs its first ten notices, one line each, then
// says it stops. libpq's default would print them all to stderr.
TEST_F(PgConnectionTlsServer, NoticesGoToTheLogAndAreBounded) {
  std::ostringstream out;
  const std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  std::string error;
  std::unique_ptr<PgConnection> connection = PgConnection::Connect(server_->dsn(), &error);
  ASSERT_NE(connection, nullptr) << error;
  const PgOutcome outcome = connection->Execute(
      "DO $$ BEGIN FOR i IN 1..1000 LOOP RAISE NOTICE 'row %\nsecond line', i; END LOOP; END $$");
  spdlog::set_default_logger(previous);
  EXPECT_TRUE(outcome.error.empty()) << outcome.error;
  const std::string log = out.str();
  EXPECT_EQ(std::ranges::count(log, '\n'), 11) << log;
  EXPECT_NE(log.find("postgres notice: NOTICE: row 1 second line"), std::string::npos) << log;
  EXPECT_NE(log.find("row 10 "), std::string::npos) << log;
  EXPECT_EQ(log.find("row 11 "), std::string::npos) << log;
  EXPECT_NE(log.find("no more are logged"), std::string::npos) << log;
}

}  // namespace
}  // namespace leadsync
