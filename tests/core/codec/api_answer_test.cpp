#include "core/codec/api_answer.hpp"

#include <gtest/gtest.h>

#include "core/http/outcome.hpp"

namespace leadsync {
namespace {

TEST(BulkAnswer, ReadsOneRowPerRecord) {
  std::optional<std::vector<RowResult>> rows = ParseBulkAnswer(
      R"([{"RowNumber":1,"LeadId":"4f1c-aa","LeadCreated":true,"LeadUpdated":false,"AffectedRows":1},
          {"RowNumber":2,"LeadId":"77b0-cc","LeadCreated":false,"LeadUpdated":true,"AffectedRows":1}])",
      2);
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  const RowResult& first = rows->at(0);
  EXPECT_EQ(first.row_number, 1);
  EXPECT_EQ(first.lead_id, "4f1c-aa");
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(first.updated);
  EXPECT_EQ(first.affected_rows, 1);
  EXPECT_TRUE(first.message.empty());
  EXPECT_EQ(rows->at(1).row_number, 2);
  EXPECT_TRUE(rows->at(1).updated);
}

TEST(BulkAnswer, ToleratesMissingAndNullFields) {
  std::optional<std::vector<RowResult>> rows = ParseBulkAnswer(
      R"([{"RowNumber":1,"LeadId":null}, {}, {"LeadId":"x","RowNumber":"7","LeadCreated":"True"}])", 3);
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->at(0).lead_id, "");
  EXPECT_FALSE(rows->at(0).created);
  EXPECT_EQ(rows->at(1).row_number, 2);
  EXPECT_EQ(rows->at(1).lead_id, "");
  EXPECT_EQ(rows->at(2).row_number, 7);
  EXPECT_TRUE(rows->at(2).created);
}

TEST(BulkAnswer, KeepsTheTextOfAFailedRow) {
  std::optional<std::vector<RowResult>> rows = ParseBulkAnswer(
      R"([{"RowNumber":1,"LeadId":null,"LeadCreated":false,"LeadUpdated":false,"AffectedRows":0,
           "ExceptionType":"MXInvalidEmailException","ExceptionMessage":"Email is not valid"},
          {"RowNumber":2,"Message":"Lead skipped"},
          {"RowNumber":3,"LeadId":"","ErrorMessage":"Invalid Phone format"}])",
      3);
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ(rows->at(0).message, "MXInvalidEmailException: Email is not valid");
  EXPECT_EQ(rows->at(1).message, "Lead skipped");
  EXPECT_EQ(rows->at(2).message, "Invalid Phone format");
}

TEST(BulkAnswer, BodyThatIsNotARowArrayIsAnError) {
  std::string error;
  EXPECT_EQ(ParseBulkAnswer(R"({"Status":"Error"})", 1, &error), std::nullopt);
  EXPECT_EQ(error, "expected an array of rows");
  EXPECT_EQ(ParseBulkAnswer("<html>502</html>", 1, &error), std::nullopt);
  EXPECT_TRUE(error.starts_with("invalid JSON")) << error;
  EXPECT_EQ(ParseBulkAnswer("[1]", 1, &error), std::nullopt);
  EXPECT_EQ(error, "row 1 is not an object");
  EXPECT_EQ(ParseBulkAnswer("[]", 1)->size(), 0u);
}

TEST(BulkAnswer, MoreRowsThanRecordsSentIsAnError) {
  std::string error;
  EXPECT_EQ(ParseBulkAnswer("[{},{},{}]", 2, &error), std::nullopt);
  EXPECT_EQ(error, "3 rows for 2 records sent");
  EXPECT_EQ(ParseBulkAnswer("[{},{}]", 2)->size(), 2u);
}

TEST(ApiErrorBody, ReadsTheException) {
  std::optional<ApiError> error = ParseApiError(
      R"({"Status":"Error","ExceptionType":"MXDuplicateEntryException","ExceptionMessage":"A Lead with same Email already exists"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, "Error");
  EXPECT_EQ(error->exception_type, "MXDuplicateEntryException");
  EXPECT_EQ(error->exception_message, "A Lead with same Email already exists");
  EXPECT_TRUE(IsDataException(*error));
}

TEST(ApiErrorBody, NonMxExceptionIsTransient) {
  std::optional<ApiError> error =
      ParseApiError(R"({"Status":"Error","ExceptionType":"System.TimeoutException","Message":"timed out"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->exception_message, "timed out");
  EXPECT_FALSE(IsDataException(*error));
  EXPECT_FALSE(IsDataException(ApiError{}));
}

TEST(ApiErrorBody, NoErrorInOtherBodies) {
  EXPECT_EQ(ParseApiError(""), std::nullopt);
  EXPECT_EQ(ParseApiError("Service Unavailable"), std::nullopt);
  EXPECT_EQ(ParseApiError("[]"), std::nullopt);
  EXPECT_EQ(ParseApiError(R"({"Foo":1})"), std::nullopt);
}

TEST(CodeLabel, IsTheStatusOrTheFailureKind) {
  ApiOutcome outcome;
  outcome.kind = OutcomeKind::kRateLimited;
  outcome.status = 429;
  EXPECT_EQ(CodeLabel(outcome), "429");
  outcome.kind = OutcomeKind::kOk;
  outcome.status = 200;
  EXPECT_EQ(CodeLabel(outcome), "200");
  outcome.kind = OutcomeKind::kNetwork;
  outcome.status = 0;
  EXPECT_EQ(CodeLabel(outcome), "network");
  outcome.kind = OutcomeKind::kTimeout;
  EXPECT_EQ(CodeLabel(outcome), "timeout");
}

}  // namespace
}  // namespace leadsync
