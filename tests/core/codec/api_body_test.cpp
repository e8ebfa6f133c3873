#include "core/codec/api_body.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/codec/input_parser.hpp"
#include "core/codec/json_writer.hpp"

namespace leadsync {
namespace {

Lead Make(std::vector<Attribute> attributes) { return Lead(std::move(attributes)); }

Attribute Set(std::string name, std::vector<Field> fields) {
  return Attribute{std::move(name), "", true, std::move(fields)};
}

std::string ReencodeBody(std::string_view body) {
  ParseOutput out = ParseInput(body, InputFormat::kJson);
  EXPECT_TRUE(out.errors.empty()) << out.errors.front().reason;
  std::vector<Lead> leads;
  for (ParsedLead& parsed : out.leads) leads.push_back(std::move(parsed.lead));
  return EncodeBatch(leads);
}

constexpr std::string_view kBody =
    R"([[{"Attribute":"EmailAddress","Value":"asha@example.in"},{"Attribute":"FirstName","Value":"Åsa \"Ace\" Ñúñez"},)"
    R"({"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"Status","Value":"Pending"},)"
    R"({"Attribute":"Doc","Value":"line1\nline2\ttab \\ back"}]},{"Attribute":"SearchBy","Value":"EmailAddress"}],)"
    R"([{"Attribute":"Phone","Value":"+91 98450 12345"},{"Attribute":"mx_Emoji","Value":"🚀 नमस्ते"},)"
    R"({"Attribute":"mx_Ctl","Value":"\u0001\u001f"},{"Attribute":"mx_Empty","Value":""},)"
    R"({"Attribute":"mx_NoFields","Value":"","Fields":[]},{"Attribute":"SearchBy","Value":"Phone"}]])";

TEST(ApiBody, EncodesPairsInApiOrder) {
  Lead lead({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Status", "P"}})});
  EXPECT_EQ(EncodeRecord(lead),
            R"([{"Attribute":"EmailAddress","Value":"a@x.com"},)"
            R"({"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"Status","Value":"P"}]}])");
}

TEST(ApiBody, EncodesABatchAsAnArrayOfRecords) {
  std::vector<Lead> leads{Make({{"Phone", "1"}}), Make({{"Phone", "2"}, {"SearchBy", "Phone"}})};
  EXPECT_EQ(EncodeBatch(leads),
            R"([[{"Attribute":"Phone","Value":"1"}],)"
            R"([{"Attribute":"Phone","Value":"2"},{"Attribute":"SearchBy","Value":"Phone"}]])");
  EXPECT_EQ(EncodeBatch({}), "[]");
}

TEST(ApiBody, EscapesWhatJsonRequires) {
  Lead lead({{"Notes", "say \"hi\"\\\n\x01"}, {"City", "São Paulo"}});
  EXPECT_EQ(
      EncodeRecord(lead),
      R"([{"Attribute":"Notes","Value":"say \"hi\"\\\n\u0001"},{"Attribute":"City","Value":"São Paulo"}])");
  EXPECT_EQ(QuoteJson("a\"b"), R"("a\"b")");
}

TEST(ApiBody, BulkBodyRoundTripsByteForByte) { EXPECT_EQ(ReencodeBody(kBody), kBody); }

TEST(ApiBody, SeedBodyFileRoundTripsByteForByte) {
  std::ifstream file(std::string(LEADSYNC_SOURCE_DIR) + "/tests/data/seed_body.json", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  std::string body = text.str();
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  ASSERT_FALSE(body.empty());
  ParseOutput out = ParseInput(body, InputFormat::kJson);
  EXPECT_EQ(out.leads.size(), 3u);
  EXPECT_EQ(ReencodeBody(body), body);
}

TEST(ApiBody, RecordTextIsTheSerializedPairArray) {
  ParseOutput out = ParseInput(kBody, InputFormat::kJson);
  ASSERT_EQ(out.leads.size(), 2u);
  // Escapes that grow a value six times over, past any one read's room.
  const std::string controls(5000, '\x01');
  out.leads.push_back({Make({{"mx_Ctl", controls}, Set("mx_Set", {{"F", controls + "\\"}})}), {}});
  for (const ParsedLead& parsed : out.leads) {
    EXPECT_EQ(EncodeRecord(parsed.lead), WriteJson(RecordToJson(parsed.lead)));
  }
}

TEST(ApiBody, DecodeReadsBackWhatEncodeWrote) {
  Lead lead({{"EmailAddress", "a@x.com"},
             Set("mx_KYC", {{"Status", "P"}, {"Doc", "ü\n"}}),
             {"SearchBy", "Phone"},
             {"Phone", "1"}});
  std::optional<Lead> decoded = DecodeRecord(EncodeRecord(lead));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, lead);
}

TEST(ApiBody, DecodeAcceptsAnyValidPairArray) {
  std::optional<Lead> decoded = DecodeRecord(R"( [ {"Value": 12, "Attribute": "mx_N"},
                                                   {"Attribute":"Phone","Value":"1","Extra":[1]} ] )");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, Make({{"mx_N", "12"}, {"Phone", "1"}}));
}

TEST(ApiBody, DecodeRejectsWhatIsNotAPairArray) {
  std::string error;
  EXPECT_EQ(DecodeRecord(R"({"EmailAddress":"a@x.com"})", &error), std::nullopt);
  EXPECT_EQ(error, "expected an array of pairs");
  EXPECT_EQ(DecodeRecord("[{\"Attribute\":\"Phone\",\"Value\":\"1\"}", &error), std::nullopt);
  EXPECT_TRUE(error.starts_with("invalid JSON")) << error;
  EXPECT_EQ(DecodeRecord(R"([{"Attribute":"Phone","Value":"1"}] [])", &error), std::nullopt);
  EXPECT_TRUE(error.starts_with("invalid JSON")) << error;
  EXPECT_EQ(DecodeRecord("[]", &error), std::nullopt);
  EXPECT_EQ(error, "empty record");
  EXPECT_EQ(DecodeRecord("", &error), std::nullopt);
  EXPECT_EQ(DecodeRecord("7"), std::nullopt);
}

TEST(ApiBody, WritesJsonValuesCompactly) {
  boost::json::array record = RecordToJson(Make({{"Phone", "1"}}));
  EXPECT_EQ(WriteJson(boost::json::object{{"record", record}, {"n", 2}}),
            R"({"record":[{"Attribute":"Phone","Value":"1"}],"n":2})");
}

// The cut of a batch by bytes: the body JoinRecords makes of the records
// counted, "[" + a,b,c + "]", against the cap.
TEST(ApiBody, BodySizeCountsWhatJoinRecordsMakes) {
  const std::vector<std::string> records{"[1]", "[22]", "[333]"};
  BodySize body;
  EXPECT_EQ(body.bytes(), JoinRecords({}).size());
  for (const std::string& record : records) body.Add(record.size());
  EXPECT_EQ(body.bytes(), JoinRecords(records).size());
  EXPECT_EQ(body.records(), 3U);
}

TEST(ApiBody, BodySizeFitsARecordUpToTheCapExactly) {
  BodySize body;
  EXPECT_TRUE(body.Fits(8, 10));  // [12345678]
  EXPECT_FALSE(body.Fits(9, 10));
  body.Add(8);
  EXPECT_FALSE(body.Fits(1, 10));  // the comma counts: [12345678,x] is 12
  EXPECT_TRUE(body.Fits(1, 12));
  EXPECT_FALSE(body.Fits(2, 12));
}

TEST(ApiBody, FitsAloneJudgesTheEncodedBody) {
  const Lead lead({{"EmailAddress", "a@x.com"}, {"mx_Notes", std::string(100, '"')}});
  const std::size_t alone = BodyBytesAlone(lead);
  EXPECT_EQ(alone, EncodeRecord(lead).size() + 2);
  EXPECT_GT(alone, 200U) << "each quote escaped";
  EXPECT_TRUE(FitsAlone(lead, alone));
  EXPECT_FALSE(FitsAlone(lead, alone - 1));
  EXPECT_TRUE(FitsAlone(lead, kDefaultMaxRequestBytes));
}

TEST(ApiBody, FitsAloneCountsCustomFieldSets) {
  const Lead lead({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Doc", std::string(300, 'x')}})});
  EXPECT_TRUE(FitsAlone(lead, BodyBytesAlone(lead)));
  EXPECT_FALSE(FitsAlone(lead, BodyBytesAlone(lead) - 1));
  EXPECT_GT(BodyBytesAlone(lead), 300U);
}

}  // namespace
}  // namespace leadsync
