#include "sandbox/sandbox.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <thread>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sandbox_server.hpp"

namespace leadsync {
namespace {

using std::chrono::milliseconds;

constexpr const char* kBulkPath = "/v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate";
const std::map<std::string, std::string> kKeys = {{"x-LSQ-AccessKey", "sandbox-access-key"},
                                                  {"x-LSQ-SecretKey", "sandbox-secret-key"}};
const std::string kOneLead = R"([[{"Attribute":"EmailAddress","Value":"a@x.com"}]])";

TEST(Sandbox, DelaysApiAnswersByItsLatency) {
  SandboxOptions options;
  options.latency = milliseconds(150);
  testing::SandboxServer server(options);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(150));
}

TEST(Sandbox, ResetRateDropsTheConnectionUnanswered) {
  SandboxOptions options;
  options.reset_rate = 1.0;
  testing::SandboxServer server(options);
  EXPECT_EQ(testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys).status, 0);
  const auto state = testing::GetJson(server.port(), "/sandbox/state");
  EXPECT_EQ(state.at("calls"), 1);
  EXPECT_EQ(state.at("resets"), 1);
  EXPECT_EQ(state.at("leads"), 0);
}

TEST(Sandbox, AnswersBodiesOverTheLimitWith413) {
  SandboxOptions options;
  options.body_limit = 1024;
  testing::SandboxServer server(options);
  const std::string big = "[" + std::string(2048, ' ') + "]";
  EXPECT_EQ(testing::HttpRequest(server.port(), "POST", kBulkPath, big, kKeys).status, 413);
}

TEST(Sandbox, SameSeedGivesSameLeadIds) {
  SandboxOptions options;
  options.seed = 7;
  testing::SandboxServer first(options);
  testing::SandboxServer second(options);
  const auto a = testing::HttpRequest(first.port(), "POST", kBulkPath, kOneLead, kKeys);
  const auto b = testing::HttpRequest(second.port(), "POST", kBulkPath, kOneLead, kKeys);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, b.body);
}

TEST(Sandbox, ControlPathsDoNotCountAsApiConnections) {
  testing::SandboxServer server;
  EXPECT_EQ(testing::GetJson(server.port(), "/sandbox/state").at("connections"), 0);
  EXPECT_EQ(testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys).status, 200);
  EXPECT_EQ(testing::GetJson(server.port(), "/sandbox/state").at("connections"), 1);
}

// "answered" moves only once the latency has passed: a test that sees it
// knows the client has its answer.
TEST(Sandbox, CountsAnAnswerWhenItLeaves) {
  SandboxOptions options;
  options.latency = milliseconds(300);
  testing::SandboxServer server(options);
  std::thread call([&] { (void)testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys); });
  ASSERT_TRUE(
      testing::WaitFor([&] { return testing::GetJson(server.port(), "/sandbox/state").at("calls") == 1; },
                       std::chrono::seconds(5)));
  EXPECT_EQ(testing::GetJson(server.port(), "/sandbox/state").at("answered"), 0);
  call.join();
  EXPECT_EQ(testing::GetJson(server.port(), "/sandbox/state").at("answered"), 1);
}

// Down means connections refused; back means the same port and the same leads.
TEST(Sandbox, OutageRefusesConnectionsThenComesBackWithItsLeads) {
  testing::SandboxServer server;
  ASSERT_EQ(testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys).status, 200);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(testing::HttpRequest(server.port(), "POST", "/sandbox/outage?ms=700").status, 200);
  ASSERT_TRUE(testing::WaitFor(
      [&] { return testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys).status == 0; },
      std::chrono::seconds(5)));
  ASSERT_TRUE(testing::WaitFor(
      [&] { return testing::HttpRequest(server.port(), "POST", kBulkPath, kOneLead, kKeys).status == 200; },
      std::chrono::seconds(10)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(700));
  const auto state = testing::GetJson(server.port(), "/sandbox/state");
  EXPECT_EQ(state.at("leads"), 1);
  EXPECT_EQ(state.at("outages"), 1);
  EXPECT_EQ(state.at("by_status").at("200"), 2) << "no call reached the API while it was down";
}

TEST(Sandbox, RefusesAnAddressInUse) {
  testing::SandboxServer server;
  boost::asio::io_context io;
  EXPECT_THROW(Sandbox(io, "127.0.0.1:" + std::to_string(server.port())), std::runtime_error);
  EXPECT_THROW(Sandbox(io, "no-port-here"), std::runtime_error);
}

}  // namespace
}  // namespace leadsync
