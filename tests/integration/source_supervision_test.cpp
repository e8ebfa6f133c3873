// Sources under the daemon's Supervisor, through the real binary: a source
// that fails at every start (a webhook whose port another process holds) is
// restarted with backoff, fails /readyz by name and shows as
// leadsync_source_up 0, while the other source keeps delivering; a reload
// that fixes it brings it back. A source that retries a failure by itself
// (a postgres source whose server does not answer, a spool that cannot be
// used) is down the same way while the failure lasts.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/support/http.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"
#include "tests/support/webhook_stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

// A loopback port this test listens on for as long as it lives, so that the
// daemon cannot bind it.
class HeldPort final {
 public:
  HeldPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (fd_ < 0 || ::bind(fd_, raw, size) != 0 || ::listen(fd_, 1) != 0 ||
        ::getsockname(fd_, raw, &size) != 0) {
      throw std::runtime_error("cannot hold a loopback port");
    }
    port_ = ntohs(address.sin_port);
  }
  ~HeldPort() { ::close(fd_); }
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

bool Scraped(std::uint16_t metrics, const std::string& sample) {
  return HttpRequest(metrics, "GET", "/metrics").body.find(sample) != std::string::npos;
}

bool DownByName(std::uint16_t metrics, const std::string& source) {
  const HttpResult ready = HttpRequest(metrics, "GET", "/readyz");
  return ready.status == 503 && ready.body.find("source " + source + " is down") != std::string::npos &&
         Scraped(metrics, "leadsync_source_up{source=\"" + source + "\"} 0");
}

bool Ready(std::uint16_t metrics, const std::string& source) {
  return HttpRequest(metrics, "GET", "/readyz").status == 200 &&
         Scraped(metrics, "leadsync_source_up{source=\"" + source + "\"} 1");
}

// A YAML single-quoted scalar.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A spool source "files" (its directory created) and, when `dsn` is not empty, a postgres source
// "crm" polled every 200 ms.
std::filesystem::path WriteSourcesConfig(const TempDir& dir, const std::string& api_host,
                                         const std::string& dsn, const std::filesystem::path& spool,
                                         std::uint16_t metrics_port) {
  std::string postgres;
  if (!dsn.empty()) {
    postgres = "  - name: crm\n    type: postgres\n    dsn: " + Quoted(dsn) +
               "\n    query: 'SELECT email AS \"EmailAddress\", updated_at FROM leads WHERE updated_at >= $1 "
               "ORDER BY updated_at'\n    cursor: updated_at\n    interval: 200ms\n";
  }
  const std::string yaml =
      "leadsquared:\n  api_host: " + api_host +
      "\n  access_key: sandbox-access-key\n  secret_key: sandbox-secret-key\n  linger: 50ms\n"
      "queue:\n  path: " +
      (dir / "queue.db").string() + "\n  sync: normal\nsources:\n" + postgres +
      "  - name: files\n    type: spool\n    path: " + spool.string() + "\n    create: true" +
      "\nmetrics:\n  listen: 127.0.0.1:" + std::to_string(metrics_port) + "\nshutdown_timeout: 5s\n";
  const auto path = dir / "leadsync.yaml";
  WriteFile(path, yaml);
  return path;
}

TEST(SourceSupervision, ASourceFailingAtEveryStartFailsReadinessByNameUntilAReloadFixesIt) {
  TempDir dir;
  SandboxProcess sandbox;
  HeldPort held;
  const std::uint16_t metrics = FreePort();
  const std::string busy = "127.0.0.1:" + std::to_string(held.port());
  const auto config =
      WriteWebhookConfig(dir, sandbox.url(), {.webhook_listen = busy, .metrics_port = metrics});
  auto daemon = StartDaemon(config);

  ASSERT_TRUE(WaitFor(
      [&] {
        const HttpResult ready = HttpRequest(metrics, "GET", "/readyz");
        return ready.status == 503 && ready.body.find("source forms is down") != std::string::npos;
      },
      seconds(20)))
      << daemon->Stderr();
  EXPECT_TRUE(
      WaitFor([&] { return Scraped(metrics, "leadsync_source_up{source=\"forms\"} 0"); }, seconds(20)));
  EXPECT_TRUE(Scraped(metrics, "leadsync_source_up{source=\"spool\"} 1"));
  EXPECT_FALSE(Scraped(metrics, "leadsync_source_errors_total{source=\"forms\"} 0"));
  EXPECT_EQ(HttpRequest(metrics, "GET", "/healthz").status, 200) << "the process itself is fine";

  // The rest of the daemon works meanwhile.
  DropFile(dir / "spool", "batch.csv", "EmailAddress,FirstName\na@example.com,A\nb@example.com,B\n");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 2; }, seconds(20)))
      << daemon->Stderr();

  std::string yaml = ReadFile(config);
  WriteFile(config, yaml.replace(yaml.find(busy), busy.size(), "127.0.0.1:0"));
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return HttpRequest(metrics, "GET", "/readyz").status == 200; }, seconds(20)))
      << daemon->Stderr();
  EXPECT_TRUE(Scraped(metrics, "leadsync_source_up{source=\"forms\"} 1"));
  std::string log;
  const std::uint16_t webhook = WebhookPort(*daemon, log);
  ASSERT_NE(webhook, 0) << log;
  const HttpResult posted = HttpRequest(webhook, "POST", "/v1/leads", R"([{"email":"c@example.com"}])",
                                        {{"Authorization", std::string("Bearer ") + kWebhookToken}});
  EXPECT_EQ(posted.status, 202) << posted.body;
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 3; }, seconds(20)));

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

// The postgres source retries a refused connection by itself (it is not
// restarted): without being told, the Supervisor would show it up.
TEST(SourceSupervision, APostgresSourceWhoseServerDoesNotAnswerIsDownByNameUntilItAnswers) {
  if (const std::string why = PostgresServer::Unavailable(); !why.empty()) GTEST_SKIP() << why;
  TempDir dir;
  SandboxProcess sandbox;
  PostgresServer server;
  {
    PgSession db(server.dsn());
    db.Exec("CREATE TABLE leads (email text, updated_at timestamptz NOT NULL)");
    db.Exec("INSERT INTO leads VALUES ('pg@example.com', '2024-01-01 00:00:01+00')");
  }
  server.Stop();  // its port is closed now
  const std::uint16_t metrics = FreePort();
  const auto config = WriteSourcesConfig(dir, sandbox.url(), server.dsn(), dir / "spool", metrics);
  auto daemon = StartDaemon(config);

  ASSERT_TRUE(WaitFor([&] { return DownByName(metrics, "crm"); }, seconds(20))) << daemon->Stderr();
  EXPECT_TRUE(Scraped(metrics, "leadsync_source_up{source=\"files\"} 1"));
  EXPECT_FALSE(Scraped(metrics, "leadsync_source_errors_total{source=\"crm\"} 0"));
  EXPECT_EQ(HttpRequest(metrics, "GET", "/healthz").status, 200) << "the process itself is fine";

  server.Start();  // the same port: the source's next poll connects
  ASSERT_TRUE(WaitFor([&] { return Ready(metrics, "crm"); }, seconds(30))) << daemon->Stderr();
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 1; }, seconds(20)));

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

// Root reads any directory, so the spool is made unusable another way: a
// regular file takes its place (atomically, so the source cannot make the
// directory again in between).
TEST(SourceSupervision, ASpoolThatCannotBeUsedIsDownByNameUntilAReloadFixesIt) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  const std::filesystem::path spool = dir / "spool";
  const auto config = WriteSourcesConfig(dir, sandbox.url(), "", spool, metrics);
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return Ready(metrics, "files"); }, seconds(20))) << daemon->Stderr();
  ASSERT_TRUE(std::filesystem::is_directory(spool));

  WriteFile(dir / "not-a-directory", "a file where the spool was");
  ASSERT_EQ(
      ::renameat2(AT_FDCWD, (dir / "not-a-directory").c_str(), AT_FDCWD, spool.c_str(), RENAME_EXCHANGE), 0);
  ASSERT_TRUE(WaitFor([&] { return DownByName(metrics, "files"); }, seconds(20))) << daemon->Stderr();

  std::string yaml = ReadFile(config);
  WriteFile(config,
            yaml.replace(yaml.find(spool.string()), spool.string().size(), (dir / "spool2").string()));
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return Ready(metrics, "files"); }, seconds(20))) << daemon->Stderr();
  DropFile(dir / "spool2", "batch.csv", "EmailAddress\nd@example.com\n");
  EXPECT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 1; }, seconds(20)));

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
