// Caps on one record, and the category every rejection carries.
#include <gtest/gtest.h>

#include "core/codec/input_parser.hpp"

namespace leadsync {
namespace {

// The category of the only error, or a note that there was not exactly one.
std::string OnlyCategory(std::string_view text, InputFormat format, const ParseLimits& limits = {}) {
  const ParseOutput out = ParseInput(text, format, {}, limits);
  if (out.errors.size() != 1 || !out.leads.empty()) return "expected exactly one error";
  return out.errors[0].category;
}

TEST(ParseLimits, JsonErrorsHaveTheirCategory) {
  EXPECT_EQ(OnlyCategory("{\"EmailAddress\": tru}", InputFormat::kJsonl), "invalid_json");
  EXPECT_EQ(OnlyCategory("{\"Phone\": [1]}", InputFormat::kJsonl), "bad_value");
  EXPECT_EQ(OnlyCategory("{}", InputFormat::kJsonl), "bad_value");
  // A line that is not JSON at all, whatever its first character.
  for (const char* line : {"not json", "hello", "true love", "12abc", "\"open"}) {
    EXPECT_EQ(OnlyCategory(line, InputFormat::kJsonl), "invalid_json") << line;
  }
  // Valid JSON that is not a lead.
  for (const char* line : {"42", "\"text\"", "null", "true"}) {
    EXPECT_EQ(OnlyCategory(line, InputFormat::kJsonl), "bad_value") << line;
  }
  EXPECT_EQ(OnlyCategory("{\"City\": \"S\xE3o\"}", InputFormat::kJsonl), "not_utf8");
  EXPECT_EQ(OnlyCategory("[{\"a\":1} {\"b\":2}]", InputFormat::kJson), "invalid_json");
}

TEST(ParseLimits, CsvErrorsHaveTheirCategory) {
  EXPECT_EQ(OnlyCategory("EmailAddress,City\na@x.com\n", InputFormat::kCsv), "invalid_csv");
  EXPECT_EQ(OnlyCategory("EmailAddress,City\na@x.com,S\xE3o\n", InputFormat::kCsv), "not_utf8");
  EXPECT_EQ(OnlyCategory("EmailAddress,EmailAddress\na,b\n", InputFormat::kCsv), "invalid_csv");
}

TEST(ParseLimits, RecordOverTheLengthCapIsTooLong) {
  const ParseLimits limits{.max_record = 32};
  const ParseOutput out =
      ParseInput("{\"EmailAddress\":\"a@x.com\"}\n{\"EmailAddress\":\"" + std::string(40, 'x') + "\"}\n",
                 InputFormat::kJsonl, {}, limits);
  ASSERT_EQ(out.leads.size(), 1u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].category, "too_long");
  EXPECT_EQ(out.errors[0].reason, "record longer than 32 bytes (max_line_length)");
  EXPECT_EQ(out.errors[0].line, 2);
}

TEST(ParseLimits, AttributesAndFieldsCountAgainstTheCap) {
  const ParseLimits limits{.max_attributes = 3};
  EXPECT_EQ(
      OnlyCategory(R"({"EmailAddress":"a@x.com","A":"1","B":"2","C":"3"})", InputFormat::kJsonl, limits),
      "too_many_attributes");
  EXPECT_EQ(
      OnlyCategory(R"({"EmailAddress":"a@x.com","mx_S":{"A":"1","B":"2"}})", InputFormat::kJsonl, limits),
      "too_many_attributes");
  EXPECT_EQ(OnlyCategory(R"([{"Attribute":"EmailAddress","Value":"a@x.com"},)"
                         R"({"Attribute":"mx_S","Value":"","Fields":[{"Attribute":"A","Value":"1"},)"
                         R"({"Attribute":"B","Value":"2"}]}])",
                         InputFormat::kJsonl, limits),
            "too_many_attributes");
  EXPECT_EQ(OnlyCategory("EmailAddress,A,B,C\na@x.com,1,2,3\n", InputFormat::kCsv, limits),
            "too_many_attributes");
  EXPECT_EQ(ParseInput("EmailAddress,A,B,C\na@x.com,1,,3\n", InputFormat::kCsv, {}, limits).leads.size(), 1u)
      << "empty cells are not attributes";
}

TEST(ParseLimits, FortyThousandAttributesWithinTheCapAreOneLead) {
  std::string line = R"({"EmailAddress":"wide@x.com")";
  std::string csv_header = "EmailAddress";
  std::string csv_row = "wide@x.com";
  for (int i = 0; i < 40'000; ++i) {
    line += ",\"mx_A" + std::to_string(i) + "\":\"" + std::to_string(i) + "\"";
    csv_header += ",mx_Set.F" + std::to_string(i);
    csv_row += "," + std::to_string(i);
  }
  line += "}";
  const ParseLimits limits{.max_record = 8 << 20, .max_attributes = 50'000};
  const ParseOutput json = ParseInput(line, InputFormat::kJsonl, {}, limits);
  ASSERT_EQ(json.leads.size(), 1u);
  EXPECT_EQ(json.leads[0].lead.attributes().size(), 40'001u);
  const ParseOutput csv = ParseInput(csv_header + "\n" + csv_row + "\n", InputFormat::kCsv, {}, limits);
  ASSERT_EQ(csv.leads.size(), 1u);
  EXPECT_EQ(csv.leads[0].lead.Find("mx_set")->fields.size(), 40'000u);
}

}  // namespace
}  // namespace leadsync
