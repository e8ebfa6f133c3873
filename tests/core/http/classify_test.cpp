#include "core/http/classify.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

constexpr std::string_view kRows =
    R"([{"RowNumber":1,"LeadId":"a1","LeadCreated":true,"LeadUpdated":false,"AffectedRows":1}])";

const TimePoint kNow = FromUnixMillis(1'445'412'480'000);  // Wed, 21 Oct 2015 07:28:00 GMT

ApiOutcome Classify(int status, std::string_view body, std::string_view retry_after = "") {
  return ClassifyAnswer(status, body, retry_after, AnswerShape::kBulkRows, 25, kNow);
}

constexpr std::string_view kRefusal =
    R"json({"Status":"Error","ExceptionType":"MXAPIRateLimitExceededException",
    "ExceptionMessage":"API calls exceeded the limit of 10 in 5 second(s)"})json";

TEST(ClassifyAnswer, OkCarriesTheRows) {
  const ApiOutcome outcome = Classify(200, kRows);
  EXPECT_EQ(outcome.kind, OutcomeKind::kOk);
  EXPECT_EQ(outcome.status, 200);
  ASSERT_EQ(outcome.rows.size(), 1u);
  EXPECT_EQ(outcome.rows[0].lead_id, "a1");
  EXPECT_TRUE(outcome.rows[0].created);
}

TEST(ClassifyAnswer, UnreadableOkIsTransient) {
  const ApiOutcome outcome = Classify(200, "<html>maintenance</html>");
  EXPECT_EQ(outcome.kind, OutcomeKind::kTransient);
  EXPECT_NE(outcome.message.find("unreadable"), std::string::npos);
}

TEST(ClassifyAnswer, RawBodyShapeTakesAnyOk) {
  const ApiOutcome outcome =
      ClassifyAnswer(200, R"({"LSQCommonServiceURLs":{}})", "", AnswerShape::kRawBody, 0, kNow);
  EXPECT_EQ(outcome.kind, OutcomeKind::kOk);
  EXPECT_EQ(outcome.body, R"({"LSQCommonServiceURLs":{}})");
}

TEST(ClassifyAnswer, RateLimitedHonoursRetryAfterSeconds) {
  const ApiOutcome outcome =
      Classify(429, R"json({"Status":"Error","ExceptionType":"MXAPIRateLimitExceededException",
      "ExceptionMessage":"API calls exceeded the limit of 25 in 5 second(s)"})json",
               " 7 ");
  EXPECT_EQ(outcome.kind, OutcomeKind::kRateLimited);
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(Classify(429, "", "Wed, 21 Oct 2015 07:28:09 GMT").retry_after, std::chrono::seconds(9));
  EXPECT_EQ(Classify(429, "", "Wed, 21 Oct 2015 07:27:00 GMT").retry_after, Duration{0});
  EXPECT_EQ(Classify(429, "", "soon").retry_after, std::nullopt);
}

// Real accounts refuse in three forms; each is a rate-limit refusal that
// states the account's limit, never an auth pause or a transient fault.
TEST(ClassifyAnswer, RefusalIsRecognisedWhateverTheStatus) {
  for (const int status : {429, 403, 200, 500, 503}) {
    const ApiOutcome outcome = Classify(status, kRefusal);
    EXPECT_EQ(outcome.kind, OutcomeKind::kRateLimited) << status;
    EXPECT_EQ(outcome.status, status);
    EXPECT_EQ(outcome.stated_limit, (StatedLimit{10, std::chrono::seconds(5)})) << status;
  }
}

TEST(ClassifyAnswer, RefusalIsRecognisedByItsMessageAlone) {
  const ApiOutcome outcome = Classify(
      403,
      R"json({"Status":"Error","ExceptionMessage":"API calls exceeded the limit of 72 in 5 second(s)"})json");
  EXPECT_EQ(outcome.kind, OutcomeKind::kRateLimited);
  EXPECT_EQ(outcome.stated_limit, (StatedLimit{72, std::chrono::seconds(5)}));
}

TEST(ClassifyAnswer, ForbiddenWithoutARefusalIsAnAuthPause) {
  EXPECT_EQ(Classify(403, R"({"Status":"Error","ExceptionType":"MXUnAuthorizedAccessException"})").kind,
            OutcomeKind::kAuth);
  EXPECT_EQ(Classify(403, "Forbidden").kind, OutcomeKind::kAuth);
}

TEST(ClassifyAnswer, OkWithAnErrorObjectIsClassifiedByItsException) {
  const ApiOutcome data = Classify(200, R"({"Status":"Error","ExceptionType":"MXDuplicateEntryException",
      "ExceptionMessage":"duplicate"})");
  EXPECT_EQ(data.kind, OutcomeKind::kDataError);
  EXPECT_EQ(data.error.exception_type, "MXDuplicateEntryException");
  EXPECT_EQ(Classify(200, R"({"Status":"Error","ExceptionType":"System.Exception"})").kind,
            OutcomeKind::kTransient);
}

TEST(ClassifyAnswer, MxExceptionOn500IsADataError) {
  const ApiOutcome outcome = Classify(500, R"({"Status":"Error","ExceptionType":"MXDuplicateEntryException",
      "ExceptionMessage":"A Lead with same Email Address already exists"})");
  EXPECT_EQ(outcome.kind, OutcomeKind::kDataError);
  EXPECT_EQ(outcome.error.exception_type, "MXDuplicateEntryException");
  EXPECT_EQ(outcome.message,
            "HTTP 500 MXDuplicateEntryException: A Lead with same Email Address already exists");
}

TEST(ClassifyAnswer, Other5xxAreTransient) {
  EXPECT_EQ(Classify(500, R"({"Status":"Error","ExceptionType":"System.Exception"})").kind,
            OutcomeKind::kTransient);
  EXPECT_EQ(Classify(500, "Internal Server Error").kind, OutcomeKind::kTransient);
  EXPECT_EQ(Classify(502, "").kind, OutcomeKind::kTransient);
  EXPECT_EQ(Classify(503, "").kind, OutcomeKind::kTransient);
}

TEST(ClassifyAnswer, MapsClientErrors) {
  EXPECT_EQ(Classify(400, R"({"Status":"Error","ExceptionMessage":"bad"})").kind, OutcomeKind::kDataError);
  EXPECT_EQ(Classify(401, "").kind, OutcomeKind::kAuth);
  EXPECT_EQ(Classify(403, "").kind, OutcomeKind::kAuth);
  EXPECT_EQ(Classify(404, "Not Found").kind, OutcomeKind::kNotFound);
  EXPECT_EQ(Classify(301, "").kind, OutcomeKind::kNotFound);
  EXPECT_EQ(Classify(413, "").kind, OutcomeKind::kDataError);
}

TEST(ClassifyAnswer, CapsTheKeptBody) {
  const std::string big(200 * 1024, 'x');
  EXPECT_EQ(Classify(503, big).body.size(), kMaxOutcomeBody);
}

TEST(FailedExchange, HasNoStatus) {
  const ApiOutcome outcome = FailedExchange(OutcomeKind::kTimeout, "timeout");
  EXPECT_EQ(outcome.kind, OutcomeKind::kTimeout);
  EXPECT_EQ(outcome.status, 0);
}

}  // namespace
}  // namespace leadsync
