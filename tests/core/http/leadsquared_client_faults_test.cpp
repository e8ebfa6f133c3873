#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>

#include "core/http/leadsquared_client.hpp"
#include "tests/support/canned_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/run_awaitable.hpp"

// LeadSquaredClient against scripted servers: the answers and failures a
// real LeadSquared (or the network in between) can produce.
namespace leadsync {
namespace {

using std::chrono::milliseconds;
using testing::CannedReply;
using testing::CannedServer;
using testing::HttpResponse;
using Action = CannedReply::Action;

const std::string kRows =
    R"([{"RowNumber":1,"LeadId":"L1","LeadCreated":true,"LeadUpdated":false,"AffectedRows":1}])";
const std::string kBody = R"([[{"Attribute":"EmailAddress","Value":"a@x.com"}]])";

CannedReply Ok() { return {Action::kAnswer, HttpResponse(200, kRows)}; }

class CannedClientTest : public ::testing::Test {
 protected:
  ClientOptions Options(const CannedServer& server, AuthPlacement auth = AuthPlacement::kHeaders) {
    ClientOptions options;
    options.endpoint = *ParseEndpoint("http://127.0.0.1:" + std::to_string(server.port()));
    options.auth = auth;
    options.access_key = "AK-1234567";
    options.secret_key = "SK+secret/7";
    options.request_timeout = milliseconds(3000);
    return options;
  }

  ApiOutcome Send(LeadSquaredClient& client) {
    return testing::RunAwaitable(io_, client.SendBatch(kBody, 1));
  }

  boost::asio::io_context io_;
};

TEST_F(CannedClientTest, SilentServerTimesOutAtTheRequestTimeout) {
  CannedServer server({{Action::kHang, ""}});
  ClientOptions options = Options(server);
  options.request_timeout = milliseconds(300);
  LeadSquaredClient client(io_.get_executor(), options);
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kTimeout);
  EXPECT_EQ(outcome.status, 0);
  EXPECT_GE(outcome.elapsed, milliseconds(300));
  EXPECT_LT(outcome.elapsed, milliseconds(2000));
}

TEST_F(CannedClientTest, WrongPathAnswerIsNotFound) {
  CannedServer server({{Action::kAnswer, HttpResponse(404, "<html>Not Found</html>")}});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kNotFound);
  EXPECT_EQ(outcome.status, 404);
}

TEST_F(CannedClientTest, RetryAfterIsReported) {
  CannedServer server({{Action::kAnswer, HttpResponse(429, "{}", {{"Retry-After", "3"}})}});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kRateLimited);
  EXPECT_EQ(outcome.retry_after, std::chrono::seconds(3));
}

TEST_F(CannedClientTest, OpensAFreshConnectionWhenTheServerClosedAnIdleOne) {
  CannedServer server({{Action::kAnswerThenClose, Ok().raw}, Ok()});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  ASSERT_EQ(Send(client).kind, OutcomeKind::kOk);
  ASSERT_TRUE(testing::WaitFor([&] { return server.closed() == 1; }, milliseconds(5000)));
  const ApiOutcome second = Send(client);
  EXPECT_EQ(second.kind, OutcomeKind::kOk) << second.message;
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.request_heads().size(), 2u);
}

// The server read the request and dropped the connection unanswered (as
// LeadSquared's front end does under load): it may have counted and applied
// the call, so the client must not send it again on its own; the caller
// schedules a retry under the rate limit.
TEST_F(CannedClientTest, NeverResendsARequestTheServerMayHaveRead) {
  CannedServer server({Ok(), {Action::kClose, ""}, Ok()});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  ASSERT_EQ(Send(client).kind, OutcomeKind::kOk);
  EXPECT_EQ(Send(client).kind, OutcomeKind::kNetwork);
  EXPECT_EQ(server.request_heads().size(), 2u);
  EXPECT_EQ(Send(client).kind, OutcomeKind::kOk);
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(CannedClientTest, DoesNotRetryAfterPartOfAnAnswerArrived) {
  const std::string partial = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[{\"RowNumber\"";
  CannedServer server({Ok(), {Action::kAnswerThenClose, partial}, Ok()});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  ASSERT_EQ(Send(client).kind, OutcomeKind::kOk);
  EXPECT_EQ(Send(client).kind, OutcomeKind::kNetwork);
  EXPECT_EQ(server.request_heads().size(), 2u);
  EXPECT_EQ(Send(client).kind, OutcomeKind::kOk);
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(CannedClientTest, FirstRequestOnAFreshConnectionIsNotRetried) {
  CannedServer server({{Action::kClose, ""}, Ok()});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  EXPECT_EQ(Send(client).kind, OutcomeKind::kNetwork);
  EXPECT_EQ(server.request_heads().size(), 1u);
}

TEST_F(CannedClientTest, ConnectionCloseAnswerIsFollowedByANewConnection) {
  const std::string closing = HttpResponse(200, kRows, {{"Connection", "close"}});
  CannedServer server({{Action::kAnswerThenClose, closing}, Ok()});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  EXPECT_EQ(Send(client).kind, OutcomeKind::kOk);
  EXPECT_EQ(Send(client).kind, OutcomeKind::kOk);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.request_heads().size(), 2u);
}

TEST_F(CannedClientTest, CloseEndsARequestInFlightWithoutRetrying) {
  CannedServer server({Ok(), {Action::kHang, ""}});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  ASSERT_EQ(Send(client).kind, OutcomeKind::kOk);
  boost::asio::steady_timer shutdown(io_, milliseconds(100));
  shutdown.async_wait([&client](const boost::system::error_code&) { client.Close(); });
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
  EXPECT_LT(outcome.elapsed, milliseconds(2000));
  EXPECT_EQ(server.request_heads().size(), 2u);
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(CannedClientTest, RefusedConnectionIsANetworkError) {
  std::uint16_t port = 0;
  {
    CannedServer closed({Ok()});
    port = closed.port();
  }
  ClientOptions options;
  options.endpoint = *ParseEndpoint("http://127.0.0.1:" + std::to_string(port));
  LeadSquaredClient client(io_.get_executor(), options);
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
  EXPECT_NE(outcome.message.find("connect"), std::string::npos) << outcome.message;
}

TEST_F(CannedClientTest, AnswerOverTheBodyLimitIsANetworkError) {
  CannedServer server({{Action::kAnswer, HttpResponse(200, std::string(4096, ' '))}});
  ClientOptions options = Options(server);
  options.body_limit = 1024;
  LeadSquaredClient client(io_.get_executor(), options);
  EXPECT_EQ(Send(client).kind, OutcomeKind::kNetwork);
}

// An answer of a row per record sent, or of none; never millions of empty
// rows for one record.
TEST_F(CannedClientTest, AnswerWithMoreRowsThanRecordsSentIsUnreadable) {
  std::string rows = "[{}";
  for (int i = 1; i < 100'000; ++i) rows += ",{}";
  CannedServer server({{Action::kAnswer, HttpResponse(200, rows + "]")}});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kTransient);
  EXPECT_TRUE(outcome.rows.empty());
  EXPECT_NE(outcome.message.find("100000 rows for 1 records sent"), std::string::npos) << outcome.message;
}

TEST_F(CannedClientTest, EightMebibytesOfEmptyRowsStopAtTheDefaultBodyLimit) {
  std::string rows = "[{}";
  while (rows.size() < 8 * 1024 * 1024 - 8) rows += ",{}";
  CannedServer server({{Action::kAnswer, HttpResponse(200, rows + "]")}});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  const ApiOutcome outcome = Send(client);
  EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
  EXPECT_TRUE(outcome.rows.empty());
  EXPECT_NE(outcome.message.find("body limit"), std::string::npos) << outcome.message;
}

// Beast caps neither chunk extensions nor trailers: the read buffer's own
// cap does, before the client holds more than kReadBufferLimit of them.
TEST_F(CannedClientTest, EndlessChunkExtensionOrTrailerStopsAtTheReadBufferLimit) {
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string endless(8 * 1024 * 1024, 'x');
  for (const std::string& raw : {head + "2;" + endless + "\r\n[]\r\n0\r\n\r\n",
                                 head + "2\r\n[]\r\n0\r\nX-Trailer: " + endless + "\r\n\r\n"}) {
    CannedServer server({{Action::kAnswer, raw}});
    LeadSquaredClient client(io_.get_executor(), Options(server));
    const ApiOutcome outcome = Send(client);
    EXPECT_EQ(outcome.kind, OutcomeKind::kNetwork);
    EXPECT_NE(outcome.message.find("buffer overflow"), std::string::npos) << outcome.message;
  }
}

TEST_F(CannedClientTest, SendsKeysInHeaders) {
  CannedServer server({Ok()});
  LeadSquaredClient client(io_.get_executor(), Options(server));
  ASSERT_EQ(Send(client).kind, OutcomeKind::kOk);
  const std::string head = server.request_heads().at(0);
  EXPECT_EQ(head.rfind("POST /v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("x-LSQ-AccessKey: AK-1234567\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("x-LSQ-SecretKey: SK+secret/7\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Type: application/json\r\n"), std::string::npos) << head;
}

TEST_F(CannedClientTest, SendsEncodedKeysInTheQueryAndRedactsEchoes) {
  // A proxy's error page that echoes the URL, keys and all.
  const std::string echo = "no route for /x?accessKey=AK-1234567&secretKey=SK%2Bsecret%2F7 (SK+secret/7)";
  CannedServer server({{Action::kAnswer, HttpResponse(404, echo)}});
  LeadSquaredClient client(io_.get_executor(), Options(server, AuthPlacement::kQuery));
  const ApiOutcome outcome = Send(client);
  const std::string head = server.request_heads().at(0);
  EXPECT_NE(head.find("?accessKey=AK-1234567&secretKey=SK%2Bsecret%2F7 HTTP/1.1"), std::string::npos) << head;
  EXPECT_EQ(head.find("x-LSQ-"), std::string::npos) << head;
  EXPECT_EQ(outcome.body.find("AK-1234567"), std::string::npos) << outcome.body;
  EXPECT_EQ(outcome.body.find("SK%2Bsecret%2F7"), std::string::npos) << outcome.body;
  EXPECT_EQ(outcome.body.find("SK+secret/7"), std::string::npos) << outcome.body;
}

}  // namespace
}  // namespace leadsync
