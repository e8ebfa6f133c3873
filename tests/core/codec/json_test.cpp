#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/codec/input_parser.hpp"

namespace leadsync {
namespace {

Lead Make(std::vector<Attribute> attributes) { return Lead(std::move(attributes)); }

ParseOutput Json(std::string_view text, const FieldMap& fields = {}) {
  return ParseInput(text, InputFormat::kJson, fields);
}

std::string ReadData(const std::string& name) {
  std::ifstream file(std::string(LEADSYNC_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(JsonInput, ReadsAnArrayOfLeadsInBothForms) {
  ParseOutput out = Json(R"([{"EmailAddress":"a@x.com","mx_KYC":{"Status":"P"}},
                             [{"Attribute":"Phone","Value":"1"},{"Attribute":"SearchBy","Value":"Phone"}]])");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"}, {"mx_KYC", "", true, {{"Status", "P"}}}}));
  EXPECT_EQ(out.leads[1].lead, Make({{"Phone", "1"}, {"SearchBy", "Phone"}}));
  EXPECT_EQ(out.leads[0].line, 1);
  EXPECT_EQ(out.leads[1].line, 2);
}

TEST(JsonInput, LineIsWhereEachRecordStarts) {
  ParseOutput out = Json(
      "\n[\n  {\"Phone\": \"1\",\n   \"FirstName\": \"A\"},\n\n  {\"Phone\":\n \"2\"}, {\"Phone\": 3}\n]\n");
  ASSERT_EQ(out.leads.size(), 3u);
  EXPECT_EQ(out.leads[0].line, 3);
  EXPECT_EQ(out.leads[1].line, 6);
  EXPECT_EQ(out.leads[2].line, 7);
  EXPECT_EQ(out.leads[2].lead.Find("Phone")->value, "3");
}

TEST(JsonInput, BadRecordIsRejectedAndTheRestKept) {
  ParseOutput out = Json(
      "[\n{\"Phone\":\"1\"},\n{\"Phone\":[\"2\"],\"mx_X\":{\"a\":{\"b\":[1,{}]}}},\n{},\n{\"Phone\":\"4\"}"
      "\n]");
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[1].line, 5);
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[0].line, 3);
  EXPECT_EQ(out.errors[0].reason, "field 'Phone': arrays are not supported");
  EXPECT_EQ(out.errors[1].line, 4);
  EXPECT_EQ(out.errors[1].reason, "empty record");
}

TEST(JsonInput, RecordAbandonedHalfwayDoesNotDerailTheNext) {
  ParseOutput out = Json(R"([[{"Attribute":"Phone","Value":{"x":[1,2]}},{"Attribute":"A","Value":"skipped"}],
                            [{"Attribute":"Phone","Value":"2"}],
                            {"mx_S":{"a":1,"b":{"c":[{}]},"d":2},"Phone":"3"},
                            {"Phone":"4"}])");
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[1].reason, "field 'mx_S.b': nested objects are not supported");
  EXPECT_EQ(out.errors[1].line, 3);
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[0].lead, Make({{"Phone", "2"}}));
  EXPECT_EQ(out.leads[1].lead, Make({{"Phone", "4"}}));
  EXPECT_EQ(out.leads[1].line, 4);
}

TEST(JsonInput, TextThatIsNotAnArrayIsOneError) {
  ParseOutput out = Json(R"({"EmailAddress":"a@x.com"})");
  EXPECT_TRUE(out.leads.empty());
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].line, 1);
  EXPECT_EQ(out.errors[0].reason, "expected a JSON array of leads");
  for (std::string_view text : {"42", "\"text\"", "nonsense", "{"}) {
    out = Json(text);
    EXPECT_TRUE(out.leads.empty());
    EXPECT_EQ(out.errors.size(), 1u) << text;
  }
}

TEST(JsonInput, SyntaxErrorRejectsTheFileAtItsLine) {
  ParseOutput out = Json("[\n{\"Phone\":\"1\"},\n{\"Phone\":\"2\"}\n{\"Phone\":\"3\"}\n]");
  EXPECT_TRUE(out.leads.empty());
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].line, 4);
  EXPECT_TRUE(out.errors[0].reason.starts_with("invalid JSON")) << out.errors[0].reason;
}

TEST(JsonInput, TruncatedOrTrailingTextIsAnError) {
  for (std::string_view text : {"[{\"Phone\":\"1\"},", "[{\"Phone\":\"1\"}", "[{\"Phone\":\"1\"}] [", "[] x",
                                "[{\"Phone\":\"1\"}]]"}) {
    ParseOutput out = Json(text);
    EXPECT_TRUE(out.leads.empty()) << text;
    ASSERT_EQ(out.errors.size(), 1u) << text;
    EXPECT_TRUE(out.errors[0].reason.starts_with("invalid JSON")) << text << ": " << out.errors[0].reason;
  }
}

TEST(JsonInput, EmptyArrayOrTextHasNoLeads) {
  for (std::string_view text : {"[]", " [ ] \n", "", "\n  \n"}) {
    ParseOutput out = Json(text);
    EXPECT_TRUE(out.leads.empty());
    EXPECT_TRUE(out.errors.empty()) << text;
  }
}

TEST(JsonInput, RenamesFlatKeys) {
  ParseOutput out =
      Json(R"([{"email":"a@x.com","city":"Pune"}])", {{"email", "EmailAddress"}, {"city", "mx_City"}});
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"}, {"mx_City", "Pune"}}));
}

TEST(JsonInput, SampleFilesOfAllFormatsAgree) {
  ParseOutput json = Json(ReadData("mixed.json"));
  ParseOutput jsonl = ParseInput(ReadData("mixed.jsonl"), InputFormat::kJsonl);
  ParseOutput csv = ParseInput(ReadData("mixed.csv"), InputFormat::kCsv);
  ASSERT_EQ(json.leads.size(), 4u);
  ASSERT_EQ(json.errors.size(), 1u);
  EXPECT_EQ(json.errors[0].reason, "field 'Tags': arrays are not supported");
  EXPECT_EQ(json.errors[0].line, 12);
  std::vector<int> lines;
  for (const ParsedLead& parsed : json.leads) lines.push_back(parsed.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 4, 6, 13}));
  ASSERT_EQ(jsonl.leads.size(), 4u);
  ASSERT_EQ(csv.leads.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(json.leads[i].lead, jsonl.leads[i].lead) << i;
    EXPECT_EQ(json.leads[i].lead, csv.leads[i].lead) << i;
    EXPECT_TRUE(LeadKey(json.leads[i].lead).has_value()) << i;
  }
}

}  // namespace
}  // namespace leadsync
