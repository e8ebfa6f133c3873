// Sources under the daemon's Supervisor, through the real binary: a source
// that fails at every start (a webhook whose port another process holds) is
// restarted with backoff, fails /readyz by name and shows as
// leadsync_source_up 0, while the other source keeps delivering; a reload
// that fixes it brings it back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "tests/support/http.hpp"
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

}  // namespace
}  // namespace leadsync::testing
