#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <string>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"

namespace leadsync {
namespace {

using namespace std::chrono_literals;

constexpr const char* kBulkPath = "/v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate";
constexpr std::string_view kListening = "sandbox listening on 127.0.0.1:";

// Starts `leadsync sandbox ARGS --listen 127.0.0.1:0` and reads its port from the first line.
std::uint16_t StartSandbox(testing::Process& process) {
  const auto line = process.ReadLine(10s);
  EXPECT_TRUE(line) << process.Stderr();
  if (!line || !line->starts_with(kListening)) return 0;
  return static_cast<std::uint16_t>(std::stoi(line->substr(kListening.size())));
}

TEST(SandboxCli, StoresPostedLeadsAndExitsCleanlyOnSigterm) {
  testing::Process process({LEADSYNC_BINARY, "sandbox", "--listen", "127.0.0.1:0", "--access-key", "AK",
                            "--secret-key", "SK", "--rate-limit", "10/1"});
  const std::uint16_t port = StartSandbox(process);
  ASSERT_NE(port, 0);
  const std::string body =
      R"([[{"Attribute":"EmailAddress","Value":"Ann@X.com"},{"Attribute":"FirstName","Value":"Ann"}],
                               [{"Attribute":"Phone","Value":"+91 98765 43210"}]])";
  const auto posted = testing::HttpRequest(port, "POST", kBulkPath, body,
                                           {{"x-LSQ-AccessKey", "AK"}, {"x-LSQ-SecretKey", "SK"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  const auto rows = boost::json::parse(posted.body).as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("LeadCreated"), true);

  const auto one = testing::HttpRequest(port, "GET", "/sandbox/leads?key=ann%40x.com");
  ASSERT_EQ(one.status, 200) << one.body;
  const auto lead = boost::json::parse(one.body);
  EXPECT_EQ(lead.at("LeadId"), rows[0].at("LeadId"));
  EXPECT_EQ(lead.at("attributes").at(1).at("Value"), "Ann");
  const auto all = testing::HttpRequest(port, "GET", "/sandbox/leads");
  EXPECT_EQ(boost::json::parse(all.body).as_array().size(), 2u);

  process.Signal(SIGTERM);
  EXPECT_EQ(process.Wait(10s), 0) << process.Stderr();
}

TEST(SandboxCli, RefusesWrongKeysWith401) {
  testing::Process process({LEADSYNC_BINARY, "sandbox", "--listen", "127.0.0.1:0"});
  const std::uint16_t port = StartSandbox(process);
  ASSERT_NE(port, 0);
  const auto refused =
      testing::HttpRequest(port, "POST", std::string(kBulkPath) + "?accessKey=x&secretKey=y", "[]");
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("MXInvalidAPIAccessKeyException"), std::string::npos);
  process.Signal(SIGINT);
  EXPECT_EQ(process.Wait(10s), 0);
}

TEST(SandboxCli, BadRateLimitIsAUsageError) {
  const auto result =
      testing::Run({LEADSYNC_BINARY, "sandbox", "--listen", "127.0.0.1:0", "--rate-limit", "often"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
}

TEST(SandboxCli, MalformedListenAddressIsAUsageError) {
  for (const char* listen : {"8080", "127.0.0.1:", "::1:8080", "host:70000"}) {
    const auto result = testing::Run({LEADSYNC_BINARY, "sandbox", "--listen", listen});
    EXPECT_EQ(result.exit_code, 2) << listen << ": " << result.err;
  }
}

TEST(SandboxCli, TakenPortFailsWithExitCode1) {
  testing::Process first({LEADSYNC_BINARY, "sandbox", "--listen", "127.0.0.1:0"});
  const std::uint16_t port = StartSandbox(first);
  ASSERT_NE(port, 0);
  const auto second =
      testing::Run({LEADSYNC_BINARY, "sandbox", "--listen", "127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace leadsync
