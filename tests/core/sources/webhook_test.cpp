// The webhook source over real HTTP on loopback, committing into a real
// queue file through the queue thread.
#include "core/sources/webhook.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/codec/api_body.hpp"
#include "core/queue/queue_service.hpp"
#include "daemon/options/source_options.hpp"
#include "tests/support/error_text.hpp"
#include "tests/support/http.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_server.hpp"

namespace leadsync {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::HttpRequest;
using testing::HttpResult;
using testing::TempDir;
using testing::WaitFor;

constexpr const char* kSource = "forms";
constexpr const char* kToken = "s3cret-token";
const std::map<std::string, std::string> kBearer = {{"Authorization", std::string("Bearer ") + kToken}};

// A WebhookSource on 127.0.0.1:0 over a real queue file, its loop on a thread.
class WebhookTest : public ::testing::Test {
 public:
  WebhookTest() : thread_([this] { io_.run(); }) {}
  ~WebhookTest() override {
    if (source_) {
      source_->Stop();
      EXPECT_TRUE(WaitFor([&] { return finished_.load(); }, 5s)) << "Run() did not return after Stop()";
    }
    work_.reset();
    io_.stop();
    thread_.join();
  }

 protected:
  static config::Source Webhook(config::WebhookSettings settings = {}) {
    settings.listen = "127.0.0.1:0";
    settings.token = kToken;
    config::Source source;
    source.name = kSource;
    source.settings = std::move(settings);
    return source;
  }

  // Starts the source and waits until it listens; false when Run() failed.
  bool Start(config::Source source, std::int64_t max_pending = 1000) {
    backpressure_.SetLimit(max_pending);
    source_ = std::make_unique<WebhookSource>(
        SourceContext{io_.get_executor(), service_, Events(), backpressure_, clock_},
        daemon::WebhookOptionsFrom(source));
    asio::post(io_, [this] {
      asio::co_spawn(io_, source_->Run(), [this](const std::exception_ptr& error) {
        run_error_ = testing::ErrorText(error);
        finished_ = true;
      });
    });
    return WaitFor([&] { return source_->port() != 0 || finished_; }, 5s) && !finished_;
  }

  [[nodiscard]] std::uint16_t port() const { return source_->port(); }

  HttpResult Post(const std::string& body, const std::map<std::string, std::string>& headers = kBearer) {
    return HttpRequest(port(), "POST", "/v1/leads", body, headers);
  }

  SourceEvents Events() {
    return {
        [this](const std::string& source, const EnqueueResult& result, std::span<const Rejection> rejected) {
          std::lock_guard lock(mutex_);
          EXPECT_EQ(source, kSource);
          ingested_ += result.inserted + result.coalesced;
          for (const Rejection& r : rejected) rejected_[r.category] += 1;
        },
        [this](const std::string&, const std::string& what) {
          std::lock_guard lock(mutex_);
          errors_.push_back(what);
        },
        [this] { ++enqueued_; }};
  }

  template <class Work>
  auto OnQueue(Work work) {
    return asio::co_spawn(io_, service_.Submit(std::move(work)), asio::use_future).get();
  }
  std::int64_t Pending() {
    return OnQueue([](Queue& q) { return q.Stats().pending; });
  }
  std::map<std::string, Lead> Queued() {
    std::map<std::string, Lead> leads;
    auto records = OnQueue([this](Queue& q) { return q.Claim(100, clock_.Now()); });
    for (QueuedRecord& record : records) leads[record.key] = DecodeRecord(record.record).value_or(Lead{});
    return leads;
  }
  std::map<std::string, int> Rejected() {
    std::lock_guard lock(mutex_);
    return rejected_;
  }

  TempDir dir_;
  asio::io_context io_;
  testing::ManualClock clock_{io_.get_executor()};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  QueueService service_{OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, true})};
  Backpressure backpressure_{io_.get_executor(), 1000};
  std::unique_ptr<WebhookSource> source_;
  std::atomic<bool> finished_ = false;
  std::optional<std::string> run_error_;  // written before finished_
  std::atomic<int> enqueued_ = 0;
  std::mutex mutex_;
  std::int64_t ingested_ = 0;
  std::map<std::string, int> rejected_;
  std::vector<std::string> errors_;
  std::thread thread_;
};

TEST_F(WebhookTest, CommitsOneFlatLeadBeforeAnswering202) {
  ASSERT_TRUE(Start(Webhook()));
  const HttpResult result =
      Post(R"({"EmailAddress":"Ann@X.com","FirstName":"Ann","mx_KYC":{"Status":"Ok"}})");
  ASSERT_EQ(result.status, 202) << result.body;
  EXPECT_EQ(boost::json::parse(result.body).at("accepted"), 1);
  // Committed by the time of the answer: no waiting here.
  EXPECT_EQ(Pending(), 1);
  const auto leads = Queued();
  ASSERT_EQ(leads.count("emailaddress:ann@x.com"), 1u);
  EXPECT_EQ(leads.at("emailaddress:ann@x.com").Find("FirstName")->value, "Ann");
  EXPECT_EQ(leads.at("emailaddress:ann@x.com").Find("mx_KYC")->fields,
            (std::vector<Field>{{"Status", "Ok"}}));
  EXPECT_EQ(enqueued_, 1);
  std::lock_guard lock(mutex_);
  EXPECT_EQ(ingested_, 1);
}

TEST_F(WebhookTest, TakesAnArrayOfLeadsInEitherFormAndOneLeadInPairForm) {
  ASSERT_TRUE(Start(Webhook()));
  const std::string array = R"([{"EmailAddress":"a@x.com","FirstName":"A"},
      [{"Attribute":"EmailAddress","Value":"b@x.com"},{"Attribute":"FirstName","Value":"B"}],
      {"Phone":"+91 98000 00001","Age":42}])";
  const HttpResult many = Post(array);
  ASSERT_EQ(many.status, 202) << many.body;
  EXPECT_EQ(boost::json::parse(many.body).at("accepted"), 3);
  const HttpResult one =
      Post(R"([{"Attribute":"EmailAddress","Value":"c@x.com"},{"Attribute":"City","Value":"Pune"}])");
  ASSERT_EQ(one.status, 202) << one.body;
  EXPECT_EQ(boost::json::parse(one.body).at("accepted"), 1);
  const auto leads = Queued();
  ASSERT_EQ(leads.size(), 4u);
  EXPECT_EQ(leads.at("emailaddress:b@x.com").Find("FirstName")->value, "B");
  EXPECT_EQ(leads.at("phone:+919800000001").Find("Age")->value, "42");
  EXPECT_EQ(leads.at("emailaddress:c@x.com").Find("City")->value, "Pune");
}

TEST_F(WebhookTest, AppliesFieldRenamesAndSearchBy) {
  config::Source source = Webhook();
  source.fields = {{"email", "EmailAddress"}, {"mobile", "Phone"}};
  source.search_by = "Phone";
  ASSERT_TRUE(Start(source));
  ASSERT_EQ(Post(R"({"email":"d@x.com","mobile":"+91 98000 00002"})").status, 202);
  const auto leads = Queued();
  ASSERT_EQ(leads.count("phone:+919800000002"), 1u);
  const Lead& lead = leads.at("phone:+919800000002");
  EXPECT_EQ(lead.Find("EmailAddress")->value, "d@x.com");
  EXPECT_EQ(lead.Find("SearchBy")->value, "Phone");
}

TEST_F(WebhookTest, RefusesAMissingOrWrongBearerTokenWith401) {
  ASSERT_TRUE(Start(Webhook()));
  const std::string lead = R"({"EmailAddress":"a@x.com"})";
  const HttpResult missing = Post(lead, {});
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.headers.at("WWW-Authenticate"), "Bearer realm=\"leadsync\"");
  EXPECT_EQ(missing.body.find(kToken), std::string::npos);
  for (const std::string& value :
       {std::string("Bearer wrong"), std::string("Bearer ") + kToken + "x", std::string("Bearer s3cret"),
        std::string(kToken), std::string("Basic ") + kToken, std::string("Bearer")}) {
    EXPECT_EQ(Post(lead, {{"Authorization", value}}).status, 401) << value;
  }
  EXPECT_EQ(Post(lead, {{"X-Api-Key", kToken}}).status, 401);
  EXPECT_EQ(Post(lead, {{"Authorization", std::string("bearer   ") + kToken + " "}}).status, 202);
  EXPECT_EQ(Pending(), 1);
}

TEST_F(WebhookTest, ACustomTokenHeaderCarriesTheBareToken) {
  config::WebhookSettings settings;
  settings.token_header = "X-Api-Key";
  ASSERT_TRUE(Start(Webhook(settings)));
  const std::string lead = R"({"EmailAddress":"a@x.com"})";
  EXPECT_EQ(Post(lead, kBearer).status, 401);
  EXPECT_EQ(Post(lead, {{"X-Api-Key", "Bearer " + std::string(kToken)}}).status, 401);
  EXPECT_EQ(Post(lead, {{"X-Api-Key", "nope"}}).status, 401);
  const HttpResult ok = Post(lead, {{"x-api-key", kToken}});
  EXPECT_EQ(ok.status, 202) << ok.body;
  EXPECT_EQ(Pending(), 1);
}

TEST_F(WebhookTest, RefusesBodiesOverMaxBodyWith413) {
  config::WebhookSettings settings;
  settings.max_body = 1024;
  ASSERT_TRUE(Start(Webhook(settings)));
  const std::string padded = R"({"EmailAddress":"a@x.com","Notes":")" + std::string(1100, 'x') + "\"}";
  EXPECT_EQ(Post(padded).status, 413);
  // Without the token the answer is 401, size unseen.
  EXPECT_EQ(Post(padded, {}).status, 401);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(Post(R"({"EmailAddress":"a@x.com"})").status, 202);
}

TEST_F(WebhookTest, MalformedJsonIs400AndCommitsNothing) {
  ASSERT_TRUE(Start(Webhook()));
  for (const std::string& body : {std::string(R"([{"EmailAddress":"a@x.com"}, {"EmailAddress": )"),
                                  std::string("not json"), std::string(""), std::string("42")}) {
    const HttpResult result = Post(body);
    ASSERT_EQ(result.status, 400) << body;
    const auto answer = boost::json::parse(result.body);
    EXPECT_EQ(answer.at("index"), 0) << body;
    EXPECT_FALSE(answer.at("error").as_string().empty());
  }
  const HttpResult second_bad = Post(R"([{"EmailAddress":"a@x.com"}, 42, {"EmailAddress":"c@x.com"}])");
  ASSERT_EQ(second_bad.status, 400);
  EXPECT_EQ(boost::json::parse(second_bad.body).at("index"), 1);
  EXPECT_EQ(Pending(), 0);
  EXPECT_GE(Rejected()["invalid_json"], 3);
}

TEST_F(WebhookTest, ALeadWithoutAKeyIs400NamingItsIndexAndNothingOfTheRequestIsKept) {
  ASSERT_TRUE(Start(Webhook()));
  const HttpResult result = Post(
      R"([{"EmailAddress":"a@x.com"},{"EmailAddress":"b@x.com"},{"FirstName":"No key"},{"FirstName":"x"}])");
  ASSERT_EQ(result.status, 400) << result.body;
  const auto answer = boost::json::parse(result.body);
  EXPECT_EQ(answer.at("index"), 2);
  EXPECT_THAT(std::string(answer.at("error").as_string()), ::testing::HasSubstr("EmailAddress"));
  EXPECT_EQ(Pending(), 0);
  std::int64_t rejected = 0;
  for (const auto& [reason, count] : Rejected()) rejected += count;
  EXPECT_EQ(rejected, 1);
}

TEST_F(WebhookTest, AppliesTheSourcesRecordCaps) {
  config::Source source = Webhook();
  source.max_attributes = 2;
  source.max_line_length = 4096;
  ASSERT_TRUE(Start(std::move(source)));
  const HttpResult wide = Post(R"([{"EmailAddress":"a@x.com"},{"EmailAddress":"b@x.com","A":"1","B":"2"}])");
  ASSERT_EQ(wide.status, 400) << wide.body;
  EXPECT_EQ(boost::json::parse(wide.body).at("index"), 1);
  const HttpResult lengthy = Post(R"({"EmailAddress":"c@x.com","Notes":")" + std::string(5000, 'x') + "\"}");
  EXPECT_EQ(lengthy.status, 400) << lengthy.body;
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(Rejected()["too_many_attributes"], 1);
  EXPECT_EQ(Rejected()["too_long"], 1);
  EXPECT_EQ(Post(R"({"EmailAddress":"a@x.com","A":"1"})").status, 202);
}

TEST_F(WebhookTest, AnswersServiceUnavailableWithRetryAfterWhileTheQueueIsFull) {
  ASSERT_TRUE(Start(Webhook(), /*max_pending=*/2));
  ASSERT_EQ(Post(R"([{"EmailAddress":"a@x.com"},{"EmailAddress":"b@x.com"}])").status, 202);
  const HttpResult full = Post(R"({"EmailAddress":"c@x.com"})");
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.headers.at("Retry-After"), "5");
  EXPECT_EQ(Pending(), 2);
  // Room again (the daemon's housekeeping reports the backlog each second).
  asio::post(io_, [this] { backpressure_.SetLimit(10); });
  EXPECT_TRUE(WaitFor([&] { return Post(R"({"EmailAddress":"c@x.com"})").status == 202; }, 2s));
  EXPECT_EQ(Pending(), 3);
}

TEST_F(WebhookTest, ProbesGetTwoHundredWithoutAToken) {
  ASSERT_TRUE(Start(Webhook()));
  EXPECT_EQ(HttpRequest(port(), "HEAD", "/v1/leads").status, 200);
  EXPECT_EQ(HttpRequest(port(), "HEAD", "/healthz").status, 200);
  const HttpResult health = HttpRequest(port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok");
  EXPECT_EQ(HttpRequest(port(), "GET", "/v1/leads", "", kBearer).status, 405);
  EXPECT_EQ(HttpRequest(port(), "POST", "/v2/leads", "{}", kBearer).status, 404);
}

// Slow clients hold only their own connections: the others are answered
// promptly, and the loop stays free for everything else.
TEST_F(WebhookTest, FiftyConcurrentClientsOfWhichSomeAreSlow) {
  ASSERT_TRUE(Start(Webhook()));
  std::vector<std::unique_ptr<testing::RawClient>> slow;
  for (int i = 0; i < 10; ++i) {
    slow.push_back(std::make_unique<testing::RawClient>(port()));
    slow.back()->Send("POST /v1/leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bea");  // and nothing more
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<int>> fast;
  for (int i = 0; i < 40; ++i) {
    fast.push_back(std::async(std::launch::async, [this, i] {
      return Post(R"({"EmailAddress":"user)" + std::to_string(i) + R"(@x.com"})").status;
    }));
  }
  for (auto& status : fast) EXPECT_EQ(status.get(), 202);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(Pending(), 40);
  for (auto& client : slow) EXPECT_TRUE(client->Open());  // still waiting, within their header deadline
}

TEST_F(WebhookTest, ServesHttpsWithTheConfiguredCertificate) {
  const testing::TestCertificate certificate = testing::MakeCertificate(dir_.path(), "localhost");
  config::WebhookSettings settings;
  settings.tls_cert_file = certificate.certificate;
  settings.tls_key_file = certificate.key;
  settings.tls_certificate = testing::ReadFile(certificate.certificate);
  settings.tls_key = testing::ReadFile(certificate.key);
  ASSERT_TRUE(Start(Webhook(settings)));
  const HttpResult result = testing::HttpsRequest(port(), certificate.certificate, "POST", "/v1/leads",
                                                  R"({"EmailAddress":"tls@x.com"})", kBearer);
  ASSERT_EQ(result.status, 202) << result.body;
  EXPECT_EQ(Pending(), 1);
  EXPECT_EQ(HttpRequest(port(), "GET", "/healthz").status, 0);  // plain HTTP gets no answer
}

TEST_F(WebhookTest, RunFailsWithAReasonWhenTheCertificateIsUnusable) {
  config::WebhookSettings settings;
  settings.tls_cert_file = dir_ / "tls.crt";
  settings.tls_key_file = dir_ / "tls.key";
  settings.tls_certificate = "not a certificate";
  settings.tls_key = "not a key";
  EXPECT_FALSE(Start(Webhook(settings)));
  const std::string error = run_error_.value_or("");
  EXPECT_THAT(error, ::testing::HasSubstr("tls_cert_file"));
  EXPECT_EQ(error.find("not a"), std::string::npos);
  source_.reset();
}

TEST_F(WebhookTest, RunFailsWhenTheAddressIsTaken) {
  ASSERT_TRUE(Start(Webhook()));
  config::Source second = Webhook();
  const std::string taken = "127.0.0.1:" + std::to_string(port());
  std::get<config::WebhookSettings>(second.settings).listen = taken;
  WebhookSource source(SourceContext{io_.get_executor(), service_, Events(), backpressure_, clock_},
                       daemon::WebhookOptionsFrom(second));
  std::promise<std::optional<std::string>> error;
  asio::co_spawn(io_, source.Run(),
                 [&](const std::exception_ptr& e) { error.set_value(testing::ErrorText(e)); });
  EXPECT_EQ(error.get_future().get(), "cannot listen on " + taken + ": address already in use");
}

}  // namespace
}  // namespace leadsync
