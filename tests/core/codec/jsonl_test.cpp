#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/codec/input_parser.hpp"

namespace leadsync {
namespace {

Lead Make(std::vector<Attribute> attributes) { return Lead(std::move(attributes)); }

ParseOutput Jsonl(std::string_view text, const FieldMap& fields = {}) {
  return ParseInput(text, InputFormat::kJsonl, fields);
}

Attribute Set(std::string name, std::vector<Field> fields) {
  return Attribute{std::move(name), "", true, std::move(fields)};
}

// The reason of the only error, or a note that there was not exactly one.
std::string OnlyError(std::string_view line) {
  ParseOutput out = Jsonl(line);
  if (out.errors.size() != 1 || !out.leads.empty()) return "expected exactly one error";
  return out.errors[0].reason;
}

TEST(JsonlInput, ReadsFlatObjectsWithFieldSets) {
  ParseOutput out = Jsonl(R"({"EmailAddress":"a@x.com","FirstName":"A","mx_KYC":{"Status":"Pending"}})");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead,
            Make({{"EmailAddress", "a@x.com"}, {"FirstName", "A"}, Set("mx_KYC", {{"Status", "Pending"}})}));
  EXPECT_EQ(out.leads[0].line, 1);
}

TEST(JsonlInput, ReadsPairArrays) {
  ParseOutput out =
      Jsonl(R"([{"Attribute":"EmailAddress","Value":"a@x.com"},)"
            R"({"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"Status","Value":"P"}]},)"
            R"({"Attribute":"SearchBy","Value":"Phone"}])");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead,
            Make({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Status", "P"}}), {"SearchBy", "Phone"}}));
}

TEST(JsonlInput, KeepsNumbersAsWrittenAndBooleansAsText) {
  ParseOutput out =
      Jsonl(R"({"EmailAddress":"a@x.com","mx_Score":1.50 ,"mx_Age":-7,"mx_Big":12345678901234567890123,)"
            R"("mx_Exp":1E+3,"mx_Ok":true,"mx_No":false,"mx_Gone":null,"mx_Set":{"N":0.10,"B":false}})");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0].reason;
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"},
                                     {"mx_Score", "1.50"},
                                     {"mx_Age", "-7"},
                                     {"mx_Big", "12345678901234567890123"},
                                     {"mx_Exp", "1E+3"},
                                     {"mx_Ok", "true"},
                                     {"mx_No", "false"},
                                     Set("mx_Set", {{"N", "0.10"}, {"B", "false"}})}));
}

TEST(JsonlInput, NullLeavesPairsAndFieldsOut) {
  ParseOutput out = Jsonl(
      R"([{"Attribute":"EmailAddress","Value":"a@x.com"},{"Attribute":"Phone","Value":null},)"
      R"({"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"Status","Value":null},{"Attribute":"Doc","Value":7}]}])");
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Doc", "7"}})}));
}

TEST(JsonlInput, BlankLinesAreSkippedAndLinesCounted) {
  ParseOutput out = Jsonl("\n{\"Phone\":\"1\"}\r\n   \n{\"Phone\":\"2\"}\n\n");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[0].line, 2);
  EXPECT_EQ(out.leads[1].line, 4);
}

TEST(JsonlInput, BadLineIsRejectedAndTheRestKept) {
  ParseOutput out = Jsonl("{\"Phone\":\"1\"}\n{\"Phone\":[\"2\"]}\n{\"Phone\":\n{\"Phone\":\"4\"}\n");
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[1].line, 4);
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[0].line, 2);
  EXPECT_EQ(out.errors[0].reason, "field 'Phone': arrays are not supported");
  EXPECT_EQ(out.errors[1].line, 3);
  EXPECT_TRUE(out.errors[1].reason.starts_with("invalid JSON")) << out.errors[1].reason;
}

TEST(JsonlInput, ErrorsNameTheFieldAtFault) {
  EXPECT_EQ(OnlyError(R"({"EmailAddress":"a@x.com","mx_KYC":{"Status":{"Deep":"x"}}})"),
            "field 'mx_KYC.Status': nested objects are not supported");
  EXPECT_EQ(OnlyError(R"({"mx_KYC":{"Docs":["a"]}})"), "field 'mx_KYC.Docs': arrays are not supported");
  EXPECT_EQ(OnlyError(R"([{"Attribute":"Phone","Value":[1]}])"), "field 'Phone': arrays are not supported");
  EXPECT_EQ(OnlyError(R"([{"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"S","Value":{}}]}])"),
            "field 'mx_KYC.S': nested objects are not supported");
  EXPECT_EQ(OnlyError(R"([{"Attribute":"mx_KYC","Fields":[{"Attribute":"S","Value":"","Fields":[]}]}])"),
            "field 'mx_KYC.S': nested field sets are not supported");
  EXPECT_EQ(OnlyError(R"([{"Attribute":"Phone"}])"), "field 'Phone': missing Value");
  EXPECT_EQ(OnlyError(R"([{"Value":"1"}])"), "pair 1: missing Attribute");
  EXPECT_EQ(OnlyError(R"([{"Attribute":"Phone","Value":"1"},"x"])"),
            R"(pair 2: expected an {"Attribute", "Value"} object)");
  EXPECT_EQ(OnlyError(R"([{"Attribute":5,"Value":"1"}])"), "pair 1: Attribute must be a string");
  EXPECT_EQ(OnlyError(R"([{"Attribute":"mx_KYC","Value":"","Fields":{}}])"),
            "field 'mx_KYC': Fields must be an array of pairs");
}

TEST(JsonlInput, RecordsThatAreNotLeadsAreRejected) {
  EXPECT_EQ(OnlyError("{}"), "empty record");
  EXPECT_EQ(OnlyError("[]"), "empty record");
  EXPECT_EQ(OnlyError(R"({"Phone":null,"mx_KYC":{}})"), "empty record");
  EXPECT_EQ(OnlyError("42"), "expected an object or an array of pairs");
  EXPECT_EQ(OnlyError(R"("a@x.com")"), "expected an object or an array of pairs");
  EXPECT_EQ(OnlyError(R"({"":"x"})"), "empty attribute name");
  EXPECT_TRUE(OnlyError(R"({"Phone":"1"} {"Phone":"2"})").starts_with("invalid JSON"));
  EXPECT_TRUE(OnlyError(R"({"Phone":"1",})").starts_with("invalid JSON"));
  EXPECT_TRUE(OnlyError(R"({"Phone":"unterminated)").starts_with("invalid JSON"));
  EXPECT_TRUE(OnlyError(R"({"mx_N":1.2.3})").starts_with("field 'mx_N': invalid number"));
}

TEST(JsonlInput, PairLookingObjectIsExplained) {
  EXPECT_EQ(OnlyError(R"({"Attribute":"EmailAddress","Value":"a@x.com"})"),
            "field 'Attribute': looks like an API pair; a record in pair form is an array of pairs");
}

TEST(JsonlInput, RenamesKeysAndPairAttributes) {
  FieldMap fields{{"email", "EmailAddress"}, {"kyc", "mx_KYC"}};
  ParseOutput out = Jsonl(
      "{\"email\":\"a@x.com\",\"kyc\":{\"Status\":\"P\"},\"SearchBy\":\"email\"}\n"
      "[{\"Attribute\":\"email\",\"Value\":\"b@x.com\"},{\"Attribute\":\"kyc\",\"Fields\":[]}]\n",
      fields);
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(
      out.leads[0].lead,
      Make({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Status", "P"}}), {"SearchBy", "EmailAddress"}}));
  EXPECT_EQ(out.leads[1].lead, Make({{"EmailAddress", "b@x.com"}, Set("mx_KYC", {})}));
}

TEST(JsonlInput, KeepsUnicodeAndEscapes) {
  ParseOutput out = Jsonl(R"({"FirstName":"Jos\u00e9 \"JJ\"","Notes":"a\\b\nc","City":"नमस्ते"})");
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"FirstName", "José \"JJ\""}, {"Notes", "a\\b\nc"}, {"City", "नमस्ते"}}));
}

// Found while writing tests/fuzz/json_fuzzer, by reading (its 64 KiB inputs
// stay fast enough): each member of a pair built the text that names the
// pair in errors, a copy of its name (and of its set's name), so a long name
// followed by many members took most of a minute under the 1 MiB cap (47 s
// for one record in a Release build). Now linear: well under a second.
TEST(JsonlInput, PairsWithLongNamesAndManyMembersAreReadInLinearTime) {
  const std::string name(400 * 1024, 'a');
  std::string members;
  while (members.size() < 500 * 1024) members += R"(,"x":1)";
  const std::string attribute = R"([{"Attribute":")" + name + R"(","Value":"v")" + members + "}]";
  const std::string set =
      R"([{"Attribute":")" + name + R"(","Fields":[{"Attribute":"f","Value":"v")" + members + "}]}]";
  for (const std::string& record : {attribute, set}) {
    const auto start = std::chrono::steady_clock::now();
    const ParseOutput out = Jsonl(record);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    ASSERT_EQ(out.leads.size(), 1u);
    EXPECT_EQ(out.leads[0].lead.attributes()[0].name, name);
  }
}

TEST(JsonlInput, ParsesTheSharedSampleFile) {
  std::ifstream file(std::string(LEADSYNC_SOURCE_DIR) + "/tests/data/mixed.jsonl", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  ParseOutput out = Jsonl(text.str());
  ASSERT_EQ(out.leads.size(), 4u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].line, 5);
  EXPECT_EQ(out.errors[0].reason, "field 'Tags': arrays are not supported");
  EXPECT_EQ(out.leads[3].line, 6);
}

}  // namespace
}  // namespace leadsync
