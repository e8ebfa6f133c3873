#include "sandbox/sandbox_api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace leadsync {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

constexpr const char* kBulkPath = "/v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate";

std::string Record(const std::string& email) {
  return R"([{"Attribute":"EmailAddress","Value":")" + email + R"("}])";
}

std::string OneRecord(const std::string& email) { return "[" + Record(email) + "]"; }

std::string Batch(int records) {
  std::string body = "[";
  for (int i = 0; i < records; ++i) body += (i > 0 ? "," : "") + Record("a" + std::to_string(i) + "@x.com");
  return body + "]";
}

// Drives SandboxApi directly, with a clock the test moves.
class SandboxApiTest : public ::testing::Test {
 protected:
  explicit SandboxApiTest(SandboxOptions options = {})
      : api_(Seeded(std::move(options)), "http://127.0.0.1:1") {}

  static SandboxOptions Seeded(SandboxOptions options) {
    options.seed = 1;
    return options;
  }

  SandboxReply Post(const std::string& body, const std::string& query = "") {
    SandboxRequest request{"POST", kBulkPath + query, "sandbox-access-key", "sandbox-secret-key", "h", body};
    if (!query.empty()) request.access_key_header = request.secret_key_header = "";
    return api_.Handle(request, now_);
  }

  json::value Get(const std::string& target) {
    const SandboxReply reply = api_.Handle(SandboxRequest{"GET", target, "", "", "h", ""}, now_);
    return reply.status == 200 ? json::parse(reply.body) : json::value(nullptr);
  }

  SandboxApi api_;
  SlidingWindow::Time now_{};
};

// Several windows at once: each refuses with its own statement, and a call
// refused by one uses up none.
TEST(SandboxApiWindows, EachWindowRefusesWithItsOwnStatement) {
  using std::chrono::milliseconds;
  SandboxOptions options;
  options.rate_limits = {{2, milliseconds(1000)}, {3, milliseconds(60'000)}};
  SandboxApi api(options, "http://127.0.0.1:1");
  const SandboxRequest request{"POST", kBulkPath,           "sandbox-access-key", "sandbox-secret-key",
                               "h",    OneRecord("a@x.com")};
  const SlidingWindow::Time t0{};
  EXPECT_EQ(api.Handle(request, t0).status, 200);
  EXPECT_EQ(api.Handle(request, t0).status, 200);
  const SandboxReply short_refusal = api.Handle(request, t0);
  EXPECT_NE(short_refusal.body.find("the limit of 2 in 1 second(s)"), std::string::npos)
      << short_refusal.body;
  EXPECT_EQ(api.Handle(request, t0 + milliseconds(1000)).status, 200);
  const SandboxReply long_refusal = api.Handle(request, t0 + milliseconds(2000));
  EXPECT_NE(long_refusal.body.find("the limit of 3 in 60 second(s)"), std::string::npos) << long_refusal.body;
  EXPECT_EQ(api.Handle(request, t0 + milliseconds(60'000)).status, 200)
      << "the first two calls left the window";
  const auto state =
      json::parse(api.Handle(SandboxRequest{"GET", "/sandbox/state", "", "", "h", ""}, t0).body).as_object();
  const auto& windows = state.at("windows").as_array();
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].at("max_calls_in_window"), 2);
  EXPECT_EQ(windows[1].at("max_calls_in_window"), 3);
  EXPECT_EQ(windows[1].at("per_seconds"), 60.0);
}

class RefusalStatusTest : public ::testing::TestWithParam<int> {};

// Real accounts refuse under 429, 403 or 200, always with the exception and
// the account's limit in the message.
TEST_P(RefusalStatusTest, RefusesInTheConfiguredForm) {
  SandboxOptions options;
  options.rate_limits = {{2, std::chrono::milliseconds(5000)}};
  options.throttle_statuses = {GetParam()};
  options.refusal_retry_after = std::chrono::seconds(3);
  SandboxApi api(options, "http://127.0.0.1:1");
  const SandboxRequest request{"POST", kBulkPath,           "sandbox-access-key", "sandbox-secret-key",
                               "h",    OneRecord("a@x.com")};
  const SlidingWindow::Time now{};
  ASSERT_EQ(api.Handle(request, now).status, 200);
  ASSERT_EQ(api.Handle(request, now).status, 200);
  const SandboxReply refused = api.Handle(request, now);
  EXPECT_EQ(refused.status, GetParam());
  EXPECT_NE(refused.body.find("MXAPIRateLimitExceededException"), std::string::npos);
  EXPECT_NE(refused.body.find("API calls exceeded the limit of 2 in 5 second(s)"), std::string::npos);
  EXPECT_EQ(refused.retry_after, std::chrono::seconds(3));
  const SandboxReply state = api.Handle(SandboxRequest{"GET", "/sandbox/state", "", "", "h", ""}, now);
  EXPECT_EQ(json::parse(state.body).at("refusals").as_int64(), 1);
}

INSTANTIATE_TEST_SUITE_P(SandboxApi, RefusalStatusTest, ::testing::Values(429, 403, 200));

// Accounts differ in how they refuse; one sandbox can play all of them.
TEST(SandboxApiRefusalForms, TakesTheListedFormsInTurn) {
  SandboxOptions options;
  options.throttle_rate = 1.0;
  options.throttle_statuses = {429, 403, 200};
  SandboxApi api(options, "http://127.0.0.1:1");
  const SandboxRequest request{"POST", kBulkPath,           "sandbox-access-key", "sandbox-secret-key",
                               "h",    OneRecord("a@x.com")};
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    const SandboxReply reply = api.Handle(request, {});
    EXPECT_NE(reply.body.find("MXAPIRateLimitExceededException"), std::string::npos) << i;
    statuses.push_back(reply.status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{429, 403, 200, 429}));
}

class TrackingSandboxApiTest : public SandboxApiTest {
 protected:
  static SandboxOptions Tracking() {
    SandboxOptions options;
    options.track = "mx_Version";
    return options;
  }
  TrackingSandboxApiTest() : SandboxApiTest(Tracking()) {}

  static std::string Versioned(const std::string& email, int version) {
    return R"([{"Attribute":"EmailAddress","Value":")" + email + R"("},{"Attribute":"mx_Version","Value":")" +
           std::to_string(version) + R"("}])";
  }
};

// The order in which one lead's changes arrived, even though the store only
// keeps the last value; records without the attribute add nothing.
TEST_F(TrackingSandboxApiTest, HistoryListsEachLeadsValuesInArrivalOrder) {
  ASSERT_EQ(Post("[" + Versioned("a@x.com", 1) + "," + Versioned("b@x.com", 1) + "]").status, 200);
  ASSERT_EQ(Post("[" + Versioned("A@x.com", 3) + "]").status, 200);
  ASSERT_EQ(Post(OneRecord("a@x.com")).status, 200);
  ASSERT_EQ(Post("[" + Versioned("a@x.com", 2) + "]").status, 200);
  ASSERT_EQ(Post(OneRecord("c@x.com")).status, 200);
  const json::value history = Get("/sandbox/history");
  EXPECT_EQ(history.at("attribute"), "mx_Version");
  const json::array& leads = history.at("leads").as_array();
  ASSERT_EQ(leads.size(), 2u) << history;
  EXPECT_EQ(leads[0].at("EmailAddress"), "a@x.com") << "as the last record wrote it";
  EXPECT_EQ(leads[0].at("values"), json::parse(R"(["1","3","2"])"));
  EXPECT_EQ(leads[1].at("values"), json::parse(R"(["1"])"));
  EXPECT_EQ(api_.Handle(SandboxRequest{"POST", "/sandbox/reset", "", "", "h", ""}, now_).status, 200);
  EXPECT_TRUE(Get("/sandbox/history").at("leads").as_array().empty());
}

TEST_F(SandboxApiTest, OutageAsksForAPositiveLength) {
  const auto outage = [&](const std::string& query) {
    return api_.Handle(SandboxRequest{"POST", "/sandbox/outage" + query, "", "", "h", ""}, now_);
  };
  EXPECT_EQ(outage("").status, 400);
  EXPECT_EQ(outage("?ms=0").status, 400);
  EXPECT_EQ(outage("?ms=12x").status, 400);
  const SandboxReply reply = outage("?ms=1500");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.outage, milliseconds(1500));
  EXPECT_EQ(Get("/sandbox/state").at("outages"), 1);
}

TEST(SandboxApiForeignLoad, AnotherClientUsesItsShareOfEveryWindow) {
  SandboxOptions options;
  options.rate_limits = {{25, std::chrono::milliseconds(5000)}};
  options.foreign_calls = 10;
  options.foreign_per = std::chrono::seconds(5);
  SandboxApi api(options, "http://127.0.0.1:1");
  const SandboxRequest request{"POST", kBulkPath,           "sandbox-access-key", "sandbox-secret-key",
                               "h",    OneRecord("a@x.com")};
  const SlidingWindow::Time now{};
  int accepted = 0;
  for (int i = 0; i < 30; ++i) accepted += api.Handle(request, now).status == 200 ? 1 : 0;
  EXPECT_EQ(accepted, 15) << "25 in the window, 10 of them the other client's";
}

TEST_F(SandboxApiTest, RefusesThe26thCallInFiveSecondsAndAcceptsItLater) {
  for (int i = 0; i < 25; ++i) ASSERT_EQ(Post(OneRecord("a@x.com")).status, 200) << i;
  now_ += milliseconds(4999);
  const SandboxReply refused = Post(OneRecord("a@x.com"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("API calls exceeded the limit of 25 in 5 second(s)"), std::string::npos);
  now_ += milliseconds(1);
  EXPECT_EQ(Post(OneRecord("a@x.com")).status, 200);
  const json::value state = Get("/sandbox/state");
  EXPECT_EQ(state.at("calls"), 27);
  EXPECT_EQ(state.at("by_status").at("429"), 1);
  EXPECT_EQ(state.at("max_calls_in_window"), 25);
  EXPECT_EQ(state.at("max_arrivals_in_window"), 26);
  EXPECT_EQ(state.at("limit_violations"), 0);
}

TEST_F(SandboxApiTest, AuthenticatesByHeadersOrByQuery) {
  EXPECT_EQ(
      Post(OneRecord("a@x.com"), "?accessKey=sandbox-access-key&secretKey=sandbox%2Dsecret%2Dkey").status,
      200);
  const SandboxReply wrong = Post(OneRecord("a@x.com"), "?accessKey=sandbox-access-key&secretKey=nope");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("MXInvalidAPIAccessKeyException"), std::string::npos);
}

TEST_F(SandboxApiTest, AnswersBadBodiesAndRecordCountsWith400) {
  EXPECT_EQ(Post(R"({"not":"an array"})").status, 400);
  EXPECT_EQ(Post("[]").status, 400);
  EXPECT_EQ(Post(Batch(26)).status, 400);
  EXPECT_EQ(Post(Batch(25)).status, 200);
  const json::value state = Get("/sandbox/state");
  EXPECT_EQ(state.at("records_per_call"), json::parse("[0, 26, 25]"));
  EXPECT_EQ(state.at("leads"), 25);
}

TEST_F(SandboxApiTest, RowWithoutKeyHasNullLeadIdAndAMessage) {
  const SandboxReply reply =
      Post(R"([[{"Attribute":"FirstName","Value":"X"}],[{"Attribute":"Phone","Value":"123"}]])");
  ASSERT_EQ(reply.status, 200);
  const json::value rows = json::parse(reply.body);
  EXPECT_TRUE(rows.at(0).at("LeadId").is_null());
  EXPECT_FALSE(rows.at(0).at("ExceptionMessage").as_string().empty());
  EXPECT_EQ(rows.at(1).at("RowNumber"), 2);
  EXPECT_EQ(rows.at(1).at("LeadCreated"), true);
}

TEST_F(SandboxApiTest, ServesLeadsAndResets) {
  ASSERT_EQ(Post(OneRecord("a@x.com")).status, 200);
  EXPECT_EQ(Get("/sandbox/leads").as_array().size(), 1u);
  EXPECT_EQ(Get("/sandbox/leads?key=A%40X.COM").at("attributes").at(0).at("Value"), "a@x.com");
  EXPECT_TRUE(Get("/sandbox/leads?key=b@x.com").is_null());
  EXPECT_EQ(api_.Handle(SandboxRequest{"POST", "/sandbox/reset", "", "", "h", ""}, now_).status, 200);
  EXPECT_EQ(Get("/sandbox/state").at("calls"), 0);
  EXPECT_TRUE(Get("/sandbox/leads").as_array().empty());
}

TEST_F(SandboxApiTest, UnknownPathsAndMethodsAre404) {
  EXPECT_EQ(api_.Handle(SandboxRequest{"GET", kBulkPath, "", "", "h", ""}, now_).status, 404);
  EXPECT_EQ(api_.Handle(SandboxRequest{"POST", "/v2/Nope", "", "", "h", ""}, now_).status, 404);
  EXPECT_EQ(api_.Handle(SandboxRequest{"GET", "/sandbox/nope", "", "", "h", ""}, now_).status, 404);
}

TEST_F(SandboxApiTest, UserByAccessKeyNamesTheApiUrl) {
  SandboxRequest request{
      "GET", "/v2/Authentication.svc/UserByAccessKey.Get", "sandbox-access-key", "sandbox-secret-key", "h",
      ""};
  const SandboxReply reply = api_.Handle(request, now_);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(json::parse(reply.body).at("LSQCommonServiceURLs").at("api"), "http://127.0.0.1:1");
}

class ObservingSandboxApiTest : public SandboxApiTest {
 protected:
  static SandboxOptions Observing() {
    SandboxOptions options;
    options.rate_limits = {{2, std::chrono::milliseconds(5000)}};
    options.enforce_rate_limit = false;
    return options;
  }
  ObservingSandboxApiTest() : SandboxApiTest(Observing()) {}
};

TEST_F(ObservingSandboxApiTest, CountsViolationsInsteadOfRefusing) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Post(OneRecord("a@x.com")).status, 200);
  const json::value state = Get("/sandbox/state");
  EXPECT_EQ(state.at("limit_violations"), 1);
  EXPECT_EQ(state.at("max_calls_in_window"), 3);
}

TEST(PoisonedSandboxApi, FailsTheWholeCallWith400OrAnMxException) {
  for (const auto& [mode, status] :
       {std::pair{PoisonMode::kBadRequest, 400}, std::pair{PoisonMode::kMxException, 500}}) {
    SandboxOptions options;
    options.poison = "bad@";
    options.poison_mode = mode;
    SandboxApi api(options, "");
    const std::string body = R"([[{"Attribute":"EmailAddress","Value":"ok@x.com"}],
                                 [{"Attribute":"EmailAddress","Value":"bad@x.com"}]])";
    const SandboxReply reply = api.Handle(
        SandboxRequest{"POST", kBulkPath, "sandbox-access-key", "sandbox-secret-key", "h", body}, {});
    EXPECT_EQ(reply.status, status);
    if (mode == PoisonMode::kMxException) {
      EXPECT_NE(reply.body.find("MXDuplicateEntryException"), std::string::npos);
    }
    EXPECT_EQ(api.Handle(SandboxRequest{"POST", kBulkPath, "sandbox-access-key", "sandbox-secret-key", "h",
                                        OneRecord("ok@x.com")},
                         {})
                  .status,
              200);
  }
}

// LeadsMetaData.Get serves the account's fields, and with check_fields a
// bulk call naming an attribute they lack, or a Select value not among its
// options, is refused as a whole (400, the attribute named), as the other
// 400s are.
class SandboxFieldsTest : public SandboxApiTest {
 protected:
  static SandboxOptions WithFields() {
    SandboxOptions options;
    options.fields = R"([{"SchemaName":"EmailAddress","DataType":"Email"},
      {"SchemaName":"mx_Course","DataType":"Select","Options":[{"Value":"MBA"}]}])";
    options.check_fields = true;
    return options;
  }
  SandboxFieldsTest() : SandboxApiTest(WithFields()) {}
};

TEST_F(SandboxFieldsTest, ServesTheFields) {
  SandboxRequest request{
      "GET", "/v2/LeadManagement.svc/LeadsMetaData.Get", "sandbox-access-key", "sandbox-secret-key", "h", ""};
  const SandboxReply reply = api_.Handle(request, now_);
  ASSERT_EQ(reply.status, 200);
  const json::value fields = json::parse(reply.body);
  ASSERT_EQ(fields.as_array().size(), 2u);
  EXPECT_EQ(fields.as_array()[1].at("SchemaName").as_string(), "mx_Course");
  request.secret_key_header = "wrong";
  EXPECT_EQ(api_.Handle(request, now_).status, 401);
}

TEST_F(SandboxFieldsTest, RefusesAnUnknownAttributeOrOption) {
  const SandboxReply unknown = Post(R"([[{"Attribute":"EmailAddress","Value":"a@x.com"}],
               [{"Attribute":"EmailAddress","Value":"b@x.com"},{"Attribute":"mx_Cours","Value":"MBA"}]])");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("MXInvalidInputException"), std::string::npos) << unknown.body;
  EXPECT_NE(unknown.body.find("Record 2: attribute 'mx_Cours' is not a lead field"), std::string::npos)
      << unknown.body;
  const SandboxReply option =
      Post(R"([[{"Attribute":"EmailAddress","Value":"a@x.com"},{"Attribute":"mx_Course","Value":"PhD"}]])");
  EXPECT_EQ(option.status, 400);
  EXPECT_NE(option.body.find("'PhD' is not one of its options"), std::string::npos) << option.body;
  EXPECT_EQ(
      Post(R"([[{"Attribute":"EmailAddress","Value":"a@x.com"},{"Attribute":"mx_Course","Value":"MBA"}]])")
          .status,
      200);
}

TEST(SandboxDefaultFields, ServedButNotEnforced) {
  SandboxApi api(SandboxOptions{}, "http://127.0.0.1:1");
  const SandboxReply reply = api.Handle(SandboxRequest{"GET", "/v2/LeadManagement.svc/LeadsMetaData.Get",
                                                       "sandbox-access-key", "sandbox-secret-key", "h", ""},
                                        SandboxApi::Time{});
  ASSERT_EQ(reply.status, 200);
  std::string error;
  const std::optional<LeadSchema> schema = ParseLeadSchema(reply.body, &error);
  ASSERT_TRUE(schema) << error;
  ASSERT_NE(schema->Find("mx_Course_Interest"), nullptr);
  EXPECT_FALSE(schema->Find("mx_Course_Interest")->options.empty());
  ASSERT_NE(schema->Find("mx_Referral_Code"), nullptr);
  EXPECT_GT(schema->Find("mx_Referral_Code")->max_length, 0u);
  const SandboxReply bulk = api.Handle(
      SandboxRequest{
          "POST", kBulkPath, "sandbox-access-key", "sandbox-secret-key", "h",
          R"([[{"Attribute":"EmailAddress","Value":"a@x.com"},{"Attribute":"mx_Any","Value":"x"}]])"},
      SandboxApi::Time{});
  EXPECT_EQ(bulk.status, 200) << bulk.body;
}

TEST(SandboxDefaultFields, UnreadableFieldsAreRefusedAtStart) {
  SandboxOptions options;
  options.fields = "{}";
  EXPECT_THROW(SandboxApi(options, ""), std::runtime_error);
}

}  // namespace
}  // namespace leadsync
