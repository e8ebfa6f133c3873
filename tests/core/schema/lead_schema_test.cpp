#include "core/schema/lead_schema.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

struct ParseCase {
  std::string name;
  std::string body;
  std::vector<SchemaField> fields;  // expected; empty with `error` set
  std::string error;                // a part of the expected error
};

class ParseLeadSchemaTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseLeadSchemaTest, ReadsTheAnswer) {
  const ParseCase& c = GetParam();
  std::string error;
  const std::optional<LeadSchema> schema = ParseLeadSchema(c.body, &error);
  if (!c.error.empty()) {
    EXPECT_FALSE(schema);
    EXPECT_NE(error.find(c.error), std::string::npos) << error;
    return;
  }
  ASSERT_TRUE(schema) << error;
  EXPECT_EQ(schema->fields(), c.fields);
}

SchemaField Field(std::string name, FieldDataType type, std::string type_text, bool mandatory = false,
                  std::size_t max_length = 0, std::vector<std::string> options = {},
                  std::string display = "") {
  return {std::move(name), std::move(display), type, std::move(type_text), mandatory,
          max_length,      std::move(options)};
}

INSTANTIATE_TEST_SUITE_P(
    Answers, ParseLeadSchemaTest,
    ::testing::Values(
        ParseCase{"Empty", "[]", {}, ""},
        // The real answer carries more keys than these (RenderType, IsSortable...): ignored.
        ParseCase{"MaxLengthAsAString",
                  R"([{"SchemaName":"mx_CreationTime","DisplayName":"CreationTime","DataType":"Time",
                       "IsMandatory":false,"MaxLength":"50","RenderType":21,"RenderTypeTextValue":"Time"}])",
                  {Field("mx_CreationTime", FieldDataType::kTime, "Time", false, 50, {}, "CreationTime")},
                  ""},
        ParseCase{"MaxLengthAsANumber",
                  R"([{"SchemaName":"FirstName","DataType":"Text","IsMandatory":true,"MaxLength":100}])",
                  {Field("FirstName", FieldDataType::kText, "Text", true, 100)},
                  ""},
        ParseCase{"SelectOptionsAsObjects",
                  R"([{"SchemaName":"mx_Course","DataType":"Select","Options":[{"Value":"MBA","Text":"MBA"},
                       {"Value":"BBA"},{"Text":"no value"}]}])",
                  {Field("mx_Course", FieldDataType::kSelect, "Select", false, 0, {"MBA", "BBA"})},
                  ""},
        ParseCase{"SelectOptionsAsStrings",
                  R"([{"SchemaName":"mx_Course","DataType":"Select","Options":["MBA","BBA"]}])",
                  {Field("mx_Course", FieldDataType::kSelect, "Select", false, 0, {"MBA", "BBA"})},
                  ""},
        ParseCase{"OptionsOfAnotherTypeIgnored",
                  R"([{"SchemaName":"mx_T","DataType":"Text","Options":["x"]}])",
                  {Field("mx_T", FieldDataType::kText, "Text")},
                  ""},
        ParseCase{"UnknownDataTypeKept",
                  R"([{"SchemaName":"mx_Geo","DataType":"GeoLocation","MaxLength":"junk"}])",
                  {Field("mx_Geo", FieldDataType::kOther, "GeoLocation")},
                  ""},
        ParseCase{"DataTypeCaseInsensitive",
                  R"([{"SchemaName":"Phone","DataType":"phone"}])",
                  {Field("Phone", FieldDataType::kPhone, "phone")},
                  ""},
        ParseCase{"NotJson", "<html>", {}, "not JSON"},
        ParseCase{"AnObject", R"({"Status":"Error"})", {}, "not a JSON array"},
        ParseCase{"AFieldWithoutName", R"([{"DataType":"Text"}])", {}, "without a SchemaName"},
        ParseCase{"NotAnObject", R"([1])", {}, "without a SchemaName"}),
    [](const ::testing::TestParamInfo<ParseCase>& param) { return param.param.name; });

TEST(LeadSchema, FindsNamesCaseInsensitively) {
  const LeadSchema schema({Field("EmailAddress", FieldDataType::kEmail, "Email")});
  ASSERT_NE(schema.Find("emailaddress"), nullptr);
  EXPECT_EQ(schema.Find("emailaddress")->schema_name, "EmailAddress");
  EXPECT_EQ(schema.Find("Email"), nullptr);
  EXPECT_EQ(schema.Names(), std::vector<std::string>{"EmailAddress"});
}

TEST(LeadSchema, CountsCharactersNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  EXPECT_EQ(CharacterCount("Zoë"), 3u);
  EXPECT_EQ(CharacterCount("नमस्ते"), 6u);
}

}  // namespace
}  // namespace leadsync
