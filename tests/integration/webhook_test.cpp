// The webhook source through the real binary: `leadsync run` taking leads
// over HTTP(S) and delivering them to `leadsync sandbox`.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <future>
#include <memory>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"
#include "tests/support/tls_server.hpp"
#include "tests/support/webhook_stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

const std::map<std::string, std::string> kBearer = {
    {"Authorization", std::string("Bearer ") + kWebhookToken}};

HttpResult PostLeads(std::uint16_t port, const std::string& body) {
  return HttpRequest(port, "POST", "/v1/leads", body, kBearer);
}

bool Delivered(std::uint16_t sandbox, std::size_t leads) {
  try {
    return SandboxLeads(sandbox).size() == leads;
  } catch (const std::exception&) {
    return false;
  }
}

// Records the queue holds, pending or in flight: a kill can land while the
// dispatcher has them claimed for a call that cannot connect.
std::int64_t Queued(const std::filesystem::path& config) {
  const RunResult stats = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  const boost::json::value view = boost::json::parse(stats.out);
  return view.at("pending").to_number<std::int64_t>() + view.at("in_flight").to_number<std::int64_t>();
}

// A flat lead (with `email` renamed by the config), a lead in pair form with
// a custom field set, and a flat one keyed by phone.
constexpr const char* kThreeLeads = R"([
  {"email":"Ada@Example.com","FirstName":"Ada","mx_City":"London","mx_Score":97},
  [{"Attribute":"EmailAddress","Value":"alan@example.com"},{"Attribute":"FirstName","Value":"Alan, M."},
   {"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"Status","Value":"Verified"}]}],
  {"Phone":"+91 98000 00007","FirstName":"Meera","mx_Active":true}
])";

void ExpectThreeLeads(std::uint16_t sandbox) {
  auto leads = SandboxLeads(sandbox);
  ASSERT_EQ(leads.size(), 3u);
  EXPECT_EQ(leads["ada@example.com"], (LeadView{{"EmailAddress", "Ada@Example.com"},
                                                {"FirstName", "Ada"},
                                                {"mx_City", "London"},
                                                {"mx_Score", "97"}}));
  EXPECT_EQ(leads["alan@example.com"], (LeadView{{"EmailAddress", "alan@example.com"},
                                                 {"FirstName", "Alan, M."},
                                                 {"mx_KYC.Status", "Verified"}}));
  EXPECT_EQ(leads["+919800000007"],
            (LeadView{{"Phone", "+91 98000 00007"}, {"FirstName", "Meera"}, {"mx_Active", "true"}}));
}

TEST(WebhookEndToEnd, PostedLeadsReachTheSandboxWithExactValues) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  auto daemon = StartDaemon(WriteWebhookConfig(dir, sandbox.url(), {.metrics_port = metrics}));
  std::string log;
  const std::uint16_t port = WebhookPort(*daemon, log);
  ASSERT_NE(port, 0) << log;
  const HttpResult posted = PostLeads(port, kThreeLeads);
  ASSERT_EQ(posted.status, 202) << posted.body;
  EXPECT_EQ(posted.body, R"({"accepted":3})");
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox.port(), 3); }, seconds(20)));
  ExpectThreeLeads(sandbox.port());
  const std::string scrape = HttpRequest(metrics, "GET", "/metrics").body;
  EXPECT_NE(scrape.find("leadsync_records_ingested_total{source=\"forms\"} 3"), std::string::npos) << scrape;
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  EXPECT_EQ(log.find(kWebhookToken), std::string::npos);
  EXPECT_EQ(daemon->Stderr().find(kWebhookToken), std::string::npos);
}

// 202 means committed: a daemon killed right after it still has the lead,
// and delivers it once it runs again.
TEST(WebhookEndToEnd, KillNineRightAfterA202LosesNothing) {
  TempDir dir;
  // Nothing listens there: the lead cannot leave before the kill.
  const std::string unreachable = "http://127.0.0.1:" + std::to_string(FreePort());
  const auto config = WriteWebhookConfig(dir, unreachable);
  auto daemon = StartDaemon(config);
  std::string log;
  const std::uint16_t port = WebhookPort(*daemon, log);
  ASSERT_NE(port, 0) << log;
  ASSERT_EQ(PostLeads(port, kThreeLeads).status, 202);
  daemon->Signal(SIGKILL);
  EXPECT_EQ(daemon->Wait(seconds(10)), 128 + SIGKILL);
  EXPECT_EQ(Queued(config), 3);

  SandboxProcess sandbox;
  WriteWebhookConfig(dir, sandbox.url());
  auto again = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox.port(), 3); }, seconds(30))) << again->Stderr();
  ExpectThreeLeads(sandbox.port());
  again->Signal(SIGTERM);
  EXPECT_EQ(again->Wait(seconds(20)), 0);
}

// Slowloris-style clients (a header that never ends) hold only their own
// connections: the others are answered at once and dispatch goes on.
TEST(WebhookEndToEnd, FiftyConcurrentClientsOfWhichSomeAreSlow) {
  TempDir dir;
  SandboxProcess sandbox;
  auto daemon = StartDaemon(WriteWebhookConfig(dir, sandbox.url()));
  std::string log;
  const std::uint16_t port = WebhookPort(*daemon, log);
  ASSERT_NE(port, 0) << log;
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 10; ++i) {
    slow.push_back(std::make_unique<RawClient>(port));
    slow.back()->Send("POST /v1/leads HTTP/1.1\r\nHost: x\r\nContent-Type: appl");
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<int>> fast;
  for (int i = 0; i < 40; ++i) {
    fast.push_back(std::async(std::launch::async, [port, i] {
      return PostLeads(port, R"({"EmailAddress":"user)" + std::to_string(i) + R"(@example.com","mx_N":")" +
                                 std::to_string(i) + "\"}")
          .status;
    }));
  }
  for (auto& status : fast) EXPECT_EQ(status.get(), 202);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox.port(), 40); }, seconds(30)));
  EXPECT_EQ(SandboxLeads(sandbox.port())["user39@example.com"]["mx_N"], "39");
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

TEST(WebhookEndToEnd, AnswersServiceUnavailableWhileTheQueueIsFull) {
  TempDir dir;
  const std::string unreachable = "http://127.0.0.1:" + std::to_string(FreePort());
  auto daemon = StartDaemon(WriteWebhookConfig(dir, unreachable, {.max_pending = 2}));
  std::string log;
  const std::uint16_t port = WebhookPort(*daemon, log);
  ASSERT_NE(port, 0) << log;
  ASSERT_EQ(PostLeads(port, R"([{"EmailAddress":"a@x.com"},{"EmailAddress":"b@x.com"}])").status, 202);
  const HttpResult full = PostLeads(port, R"({"EmailAddress":"c@x.com"})");
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.headers.at("Retry-After"), "5");
  // Probes still answer, and nothing was dropped or added.
  EXPECT_EQ(HttpRequest(port, "GET", "/healthz").status, 200);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

// HTTPS without a proxy; a renewed certificate is served after SIGHUP.
TEST(WebhookEndToEnd, ServesHttpsAndReloadsARenewedCertificateOnSighup) {
  TempDir dir;
  SandboxProcess sandbox;
  std::filesystem::create_directories(dir / "old");
  std::filesystem::create_directories(dir / "new");
  const TestCertificate old_pair = MakeCertificate(dir / "old", "localhost");
  const TestCertificate new_pair = MakeCertificate(dir / "new", "localhost");
  std::filesystem::copy_file(old_pair.certificate, dir / "tls.crt");
  std::filesystem::copy_file(old_pair.key, dir / "tls.key");
  const std::uint16_t port = FreePort();  // the same port before and after the reload
  const WebhookStackOptions options{.webhook_listen = "127.0.0.1:" + std::to_string(port),
                                    .webhook_extra = "    tls_cert_file: " + (dir / "tls.crt").string() +
                                                     "\n    tls_key_file: " + (dir / "tls.key").string() +
                                                     "\n"};
  auto daemon = StartDaemon(WriteWebhookConfig(dir, sandbox.url(), options));
  std::string log;
  ASSERT_EQ(WebhookPort(*daemon, log), port) << log;
  const HttpResult first =
      HttpsRequest(port, old_pair.certificate, "POST", "/v1/leads", R"({"EmailAddress":"a@x.com"})", kBearer);
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(HttpsRequest(port, new_pair.certificate, "GET", "/healthz").status, 0);

  std::filesystem::copy_file(new_pair.certificate, dir / "tls.crt",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(new_pair.key, dir / "tls.key",
                             std::filesystem::copy_options::overwrite_existing);
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] { return HttpsRequest(port, new_pair.certificate, "GET", "/healthz").status == 200; }, seconds(20)))
      << daemon->Stderr();
  const HttpResult second =
      HttpsRequest(port, new_pair.certificate, "POST", "/v1/leads", R"({"EmailAddress":"b@x.com"})", kBearer);
  EXPECT_EQ(second.status, 202) << second.body;
  ASSERT_TRUE(WaitFor([&] { return Delivered(sandbox.port(), 2); }, seconds(20)));
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
}

}  // namespace
}  // namespace leadsync::testing
