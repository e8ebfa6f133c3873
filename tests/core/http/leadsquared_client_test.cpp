#include "core/http/leadsquared_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>

#include "tests/support/run_awaitable.hpp"
#include "tests/support/sandbox_server.hpp"

// LeadSquaredClient against the in-process sandbox, over real sockets.
namespace leadsync {
namespace {

using std::chrono::milliseconds;

// The records a call may carry at most: answers here are the sandbox's own.
constexpr std::size_t kMostRecords = 25;

std::string Pair(const std::string& name, const std::string& value) {
  return R"({"Attribute":")" + name + R"(","Value":")" + value + R"("})";
}

std::string Kyc(const std::string& field, const std::string& value) {
  return R"({"Attribute":"mx_KYC","Value":"","Fields":[)" + Pair(field, value) + "]}";
}

std::string Batch(int records) {
  std::string body = "[";
  for (int i = 0; i < records; ++i)
    body += (i > 0 ? ",[" : "[") + Pair("EmailAddress", std::to_string(i) + "@x.com") + "]";
  return body + "]";
}

class SandboxClientTest : public ::testing::Test {
 protected:
  explicit SandboxClientTest(SandboxOptions options = {}) : server_(std::move(options)) {}

  [[nodiscard]] ClientOptions Options(AuthPlacement auth = AuthPlacement::kHeaders) const {
    ClientOptions options;
    options.endpoint = *ParseEndpoint(server_.url());
    options.auth = auth;
    options.access_key = "sandbox-access-key";
    options.secret_key = "sandbox-secret-key";
    options.request_timeout = milliseconds(5000);
    return options;
  }

  ApiOutcome Send(LeadSquaredClient& client, std::string body) {
    return testing::RunAwaitable(io_, client.SendBatch(std::move(body), kMostRecords));
  }

  ApiOutcome Send(std::string body, ClientOptions options) {
    LeadSquaredClient client(io_.get_executor(), std::move(options));
    return Send(client, std::move(body));
  }

  [[nodiscard]] boost::json::value State() const {
    return testing::GetJson(server_.port(), "/sandbox/state");
  }

  testing::SandboxServer server_;
  boost::asio::io_context io_;
};

TEST_F(SandboxClientTest, CreatesThenUpdatesOneLeadMergingCustomFields) {
  LeadSquaredClient client(io_.get_executor(), Options());
  const ApiOutcome created =
      Send(client, "[[" + Pair("EmailAddress", "Ann@X.com") + "," + Pair("FirstName", "Ann") + "," +
                       Kyc("Status", "Pending") + "]]");
  ASSERT_EQ(created.kind, OutcomeKind::kOk) << created.message;
  ASSERT_EQ(created.rows.size(), 1u);
  EXPECT_TRUE(created.rows[0].created);
  const ApiOutcome updated = Send(client, "[[" + Pair("EmailAddress", "ann@x.com") + "," +
                                              Pair("City", "Pune") + "," + Kyc("Level", "2") + "]]");
  ASSERT_EQ(updated.kind, OutcomeKind::kOk) << updated.message;
  EXPECT_TRUE(updated.rows[0].updated);
  EXPECT_FALSE(updated.rows[0].created);
  EXPECT_EQ(updated.rows[0].lead_id, created.rows[0].lead_id);
  const auto lead = testing::GetJson(server_.port(), "/sandbox/leads?key=ann@x.com");
  EXPECT_EQ(lead.at("attributes").at(1).at("Value"), "Ann");
  EXPECT_EQ(
      lead.at("attributes").at(2).at("Fields"),
      boost::json::parse(R"([{"Attribute":"Status","Value":"Pending"},{"Attribute":"Level","Value":"2"}])"));
  EXPECT_EQ(lead.at("attributes").at(3).at("Value"), "Pune");
}

TEST_F(SandboxClientTest, ReusesOneKeepAliveConnection) {
  LeadSquaredClient client(io_.get_executor(), Options());
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Send(client, Batch(2)).kind, OutcomeKind::kOk);
  const auto state = State();
  EXPECT_EQ(state.at("calls"), 4);
  EXPECT_EQ(state.at("connections"), 1);
}

// The dispatcher keeps one client per in-flight request, all on one thread.
TEST_F(SandboxClientTest, ConcurrentClientsEachKeepTheirOwnConnection) {
  std::vector<std::unique_ptr<LeadSquaredClient>> clients;
  std::vector<std::future<ApiOutcome>> outcomes;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<LeadSquaredClient>(io_.get_executor(), Options()));
    outcomes.push_back(
        boost::asio::co_spawn(io_, clients.back()->SendBatch(Batch(3), 3), boost::asio::use_future));
  }
  io_.run();
  for (auto& outcome : outcomes) EXPECT_EQ(outcome.get().kind, OutcomeKind::kOk);
  const auto state = State();
  EXPECT_EQ(state.at("calls"), 8);
  EXPECT_EQ(state.at("connections"), 8);
}

TEST_F(SandboxClientTest, WrongKeysAreAnAuthOutcomeWithoutTheKeys) {
  for (const AuthPlacement placement : {AuthPlacement::kHeaders, AuthPlacement::kQuery}) {
    ClientOptions options = Options(placement);
    options.secret_key = "wrong-secret-value";
    const ApiOutcome outcome = Send(Batch(1), options);
    EXPECT_EQ(outcome.kind, OutcomeKind::kAuth);
    EXPECT_EQ(outcome.status, 401);
    EXPECT_EQ(outcome.error.exception_type, "MXInvalidAPIAccessKeyException");
    EXPECT_EQ(outcome.message.find("wrong-secret-value"), std::string::npos);
  }
}

TEST_F(SandboxClientTest, MoreThan25RecordsIsADataError) {
  const ApiOutcome outcome = Send(Batch(26), Options());
  EXPECT_EQ(outcome.kind, OutcomeKind::kDataError);
  EXPECT_EQ(outcome.status, 400);
}

TEST_F(SandboxClientTest, The26thQuickCallIsRateLimited) {
  LeadSquaredClient client(io_.get_executor(), Options());
  for (int i = 0; i < 25; ++i) ASSERT_EQ(Send(client, Batch(1)).kind, OutcomeKind::kOk) << i;
  const ApiOutcome limited = Send(client, Batch(1));
  EXPECT_EQ(limited.kind, OutcomeKind::kRateLimited);
  EXPECT_EQ(limited.status, 429);
  EXPECT_NE(limited.message.find("exceeded the limit of 25 in 5 second(s)"), std::string::npos)
      << limited.message;
  EXPECT_EQ(State().at("max_calls_in_window"), 25);
}

TEST_F(SandboxClientTest, UserByAccessKeyNamesTheSandboxAsApiHost) {
  LeadSquaredClient client(io_.get_executor(), Options(AuthPlacement::kQuery));
  const ApiOutcome outcome = testing::RunAwaitable(io_, client.GetUserByAccessKey());
  ASSERT_EQ(outcome.kind, OutcomeKind::kOk) << outcome.message;
  EXPECT_EQ(boost::json::parse(outcome.body).at("LSQCommonServiceURLs").at("api").as_string(), server_.url());
}

TEST_F(SandboxClientTest, TlsToAPlainServerIsANetworkError) {
  ClientOptions options = Options();
  options.endpoint.tls = true;
  const ApiOutcome outcome = Send(Batch(1), options);
  EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
  EXPECT_EQ(outcome.status, 0);
  EXPECT_NE(outcome.message.find("TLS handshake"), std::string::npos) << outcome.message;
}

class QueryKeyClientTest : public SandboxClientTest {
 protected:
  static SandboxOptions OddKeys() {
    SandboxOptions options;
    options.access_key = "a+b/c=d&e";
    options.secret_key = "s p%?#";
    return options;
  }
  QueryKeyClientTest() : SandboxClientTest(OddKeys()) {}
};

TEST_F(QueryKeyClientTest, EncodesKeysInTheQuery) {
  ClientOptions options = Options(AuthPlacement::kQuery);
  options.access_key = "a+b/c=d&e";
  options.secret_key = "s p%?#";
  const ApiOutcome outcome = Send(Batch(1), options);
  EXPECT_EQ(outcome.kind, OutcomeKind::kOk) << outcome.message;
}

class FaultyClientTest : public SandboxClientTest {
 protected:
  static SandboxOptions Faults(double error_rate, double reset_rate) {
    SandboxOptions options;
    options.error_rate = error_rate;
    options.reset_rate = reset_rate;
    options.poison = "poison@";
    options.poison_mode = PoisonMode::kMxException;
    return options;
  }
  explicit FaultyClientTest(double error_rate = 0, double reset_rate = 0)
      : SandboxClientTest(Faults(error_rate, reset_rate)) {}
};

TEST_F(FaultyClientTest, PoisonedRecordIsADataErrorWithTheExceptionType) {
  const ApiOutcome outcome =
      Send("[[" + Pair("EmailAddress", "ok@x.com") + "],[" + Pair("EmailAddress", "poison@x.com") + "]]",
           Options());
  EXPECT_EQ(outcome.kind, OutcomeKind::kDataError);
  EXPECT_EQ(outcome.status, 500);
  EXPECT_EQ(outcome.error.exception_type, "MXDuplicateEntryException");
  EXPECT_EQ(outcome.message.rfind("HTTP 500 MXDuplicateEntryException: ", 0), 0u) << outcome.message;
}

class ErroringClientTest : public FaultyClientTest {
 protected:
  ErroringClientTest() : FaultyClientTest(1.0, 0) {}
};

TEST_F(ErroringClientTest, ServerErrorsWithoutMxAreTransient) {
  const ApiOutcome outcome = Send(Batch(1), Options());
  EXPECT_EQ(outcome.kind, OutcomeKind::kTransient);
  EXPECT_EQ(outcome.status, 500);
}

class ResettingClientTest : public FaultyClientTest {
 protected:
  ResettingClientTest() : FaultyClientTest(0, 1.0) {}
};

TEST_F(ResettingClientTest, DroppedConnectionsAreNetworkErrors) {
  LeadSquaredClient client(io_.get_executor(), Options());
  for (int i = 0; i < 2; ++i) {
    const ApiOutcome outcome = Send(client, Batch(1));
    EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
    EXPECT_EQ(outcome.status, 0);
  }
  // Each call went out once, on a fresh connection: nothing to retry.
  EXPECT_EQ(State().at("calls"), 2);
}

}  // namespace
}  // namespace leadsync
