#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/codec/input_parser.hpp"

namespace leadsync {
namespace {

Lead Make(std::vector<Attribute> attributes) { return Lead(std::move(attributes)); }

ParseOutput Csv(std::string_view text, const FieldMap& fields = {}) {
  return ParseInput(text, InputFormat::kCsv, fields);
}

Attribute Set(std::string name, std::vector<Field> fields) {
  return Attribute{std::move(name), "", true, std::move(fields)};
}

TEST(CsvInput, ReadsRowsUnderTheHeader) {
  ParseOutput out = Csv("EmailAddress,FirstName\na@x.com,Anita\nb@x.com,Bo\n");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"}, {"FirstName", "Anita"}}));
  EXPECT_EQ(out.leads[0].line, 2);
  EXPECT_EQ(out.leads[1].line, 3);
}

TEST(CsvInput, HandlesQuotesCommasDoubledQuotesAndNewlines) {
  ParseOutput out =
      Csv("EmailAddress,Notes,LastName\n"
          "a@x.com,\"one, two\",\"O\"\"Neil\"\n"
          "b@x.com,\"first\nsecond\",Rao\n"
          "c@x.com,plain,Li\n");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 3u);
  EXPECT_EQ(out.leads[0].lead.Find("Notes")->value, "one, two");
  EXPECT_EQ(out.leads[0].lead.Find("LastName")->value, "O\"Neil");
  EXPECT_EQ(out.leads[1].lead.Find("Notes")->value, "first\nsecond");
  EXPECT_EQ(out.leads[1].line, 3);
  EXPECT_EQ(out.leads[2].line, 5);
}

TEST(CsvInput, AcceptsCrlfAndBomAndTrimsCells) {
  ParseOutput out = Csv("\xEF\xBB\xBF EmailAddress , FirstName\r\n  a@x.com ,\" Anita \"\r\n\r\nb@x.com,Bo");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"}, {"FirstName", "Anita"}}));
  EXPECT_EQ(out.leads[1].lead, Make({{"EmailAddress", "b@x.com"}, {"FirstName", "Bo"}}));
  EXPECT_EQ(out.leads[1].line, 4);
}

TEST(CsvInput, EmptyCellLeavesTheAttributeOut) {
  ParseOutput out = Csv("EmailAddress,FirstName,Phone\na@x.com,,  \n");
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"}}));
}

TEST(CsvInput, SetFieldHeadersFillCustomFieldSets) {
  ParseOutput out = Csv("EmailAddress,mx_KYC.Status,mx_KYC.Document,mx_City\na@x.com,Pending,PAN,Pune\n");
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"},
                                     Set("mx_KYC", {{"Status", "Pending"}, {"Document", "PAN"}}),
                                     {"mx_City", "Pune"}}));
}

TEST(CsvInput, RenamesHeadersAndSetNames) {
  FieldMap fields{
      {"email", "EmailAddress"}, {"kyc", "mx_KYC"}, {"kyc_doc", "mx_KYC.Document"}, {"by", "SearchBy"}};
  ParseOutput out = Csv("email,kyc.Status,kyc_doc,by\na@x.com,Pending,PAN,email\n", fields);
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead, Make({{"EmailAddress", "a@x.com"},
                                     Set("mx_KYC", {{"Status", "Pending"}, {"Document", "PAN"}}),
                                     {"SearchBy", "EmailAddress"}}));
}

TEST(CsvInput, RowWithWrongCellCountIsRejectedAndTheRestKept) {
  ParseOutput out =
      Csv("EmailAddress,FirstName,Phone\na@x.com,A,1\nb@x.com,B\nc@x.com,C,3,extra\nd@x.com,D,4\n");
  ASSERT_EQ(out.leads.size(), 2u);
  EXPECT_EQ(out.leads[1].line, 5);
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[0].line, 3);
  EXPECT_EQ(out.errors[0].reason, "expected 3 columns, got 2");
  EXPECT_EQ(out.errors[1].line, 4);
  EXPECT_EQ(out.errors[1].reason, "expected 3 columns, got 4");
}

TEST(CsvInput, UnterminatedQuoteIsAnErrorAtTheRecordsLine) {
  ParseOutput out = Csv("EmailAddress,Notes\na@x.com,fine\nb@x.com,\"never\nclosed\n");
  ASSERT_EQ(out.leads.size(), 1u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].line, 3);
  EXPECT_EQ(out.errors[0].reason,
            "unterminated quoted field: the quote runs to the end of the input, lines 3-4 (2 lines) in one "
            "rejection");
  EXPECT_EQ(Csv("EmailAddress,Notes\nb@x.com,\"never").errors.at(0).reason, "unterminated quoted field");
}

TEST(CsvInput, BadHeaderRejectsTheWholeFile) {
  for (std::string_view text : {"EmailAddress,,Phone\na@x.com,x,1\n", "EmailAddress,emailaddress\na,b\n",
                                "EmailAddress,mx_KYC.\na,b\n", "email,EmailAddress\na,b\n"}) {
    ParseOutput out = Csv(text, {{"email", "EmailAddress"}});
    EXPECT_TRUE(out.leads.empty()) << text;
    ASSERT_EQ(out.errors.size(), 1u) << text;
    EXPECT_EQ(out.errors[0].line, 1);
    EXPECT_TRUE(out.errors[0].reason.starts_with("header: ")) << out.errors[0].reason;
  }
}

TEST(CsvInput, RowWithNoValuesIsAnEmptyRecord) {
  ParseOutput out = Csv("EmailAddress,Phone\n , \n");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].reason, "empty record");
  EXPECT_EQ(out.errors[0].line, 2);
}

TEST(CsvInput, InvalidUtf8NamesTheField) {
  ParseOutput out = Csv("EmailAddress,City\na@x.com,S\xE3o Paulo\n");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].reason, "field 'City': invalid UTF-8");
}

TEST(CsvInput, EmptyTextHasNoLeadsAndNoErrors) {
  for (std::string_view text : {"", "\n\n", "EmailAddress,Phone\n"}) {
    ParseOutput out = Csv(text);
    EXPECT_TRUE(out.leads.empty());
    EXPECT_TRUE(out.errors.empty());
  }
}

// Found while writing tests/fuzz/csv_fuzzer, by reading (its 64 KiB inputs
// stay fast enough): every quote after the start of a cell copied the cell
// so far, so a row of quotes under the 1 MiB cap took minutes (168 s for one
// row in a Release build). Now linear: well under a second.
TEST(CsvInput, CellOfQuotesIsReadInLinearTime) {
  const std::string quotes(1000 * 1024, '"');
  const auto start = std::chrono::steady_clock::now();
  const ParseOutput out = Csv("EmailAddress,Notes\na@x.com,x" + quotes + "\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(out.leads.size(), 1u);
  EXPECT_EQ(out.leads[0].lead.Find("Notes")->value, "x" + quotes);
}

TEST(CsvInput, ParsesTheSharedSampleFile) {
  std::ifstream file(std::string(LEADSYNC_SOURCE_DIR) + "/tests/data/mixed.csv", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  ParseOutput out = Csv(text.str());
  ASSERT_EQ(out.leads.size(), 4u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].line, 5);
  EXPECT_EQ(out.leads[2].lead.Find("LastName")->value, "D'Souza, Jr.");
  EXPECT_EQ(out.leads[3].lead.Find("mx_Notes")->value, "first line\nsecond line");
  EXPECT_EQ(out.leads[3].line, 6);
}

TEST(InputFormat, FollowsExtensionAndName) {
  EXPECT_EQ(FormatFromPath("/spool/a.CSV"), InputFormat::kCsv);
  EXPECT_EQ(FormatFromPath("b.jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("b.ndjson"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("c.json"), InputFormat::kJson);
  EXPECT_EQ(FormatFromPath("d.tmp"), std::nullopt);
  EXPECT_EQ(FormatFromPath("noext"), std::nullopt);
  EXPECT_EQ(FormatFromName("jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromName("xml"), std::nullopt);
}

}  // namespace
}  // namespace leadsync
