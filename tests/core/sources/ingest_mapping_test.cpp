// The mapping in the shared ingest step: the same rules give the same leads
// whatever the input's form (CSV cells, JSON strings, numbers, booleans and
// nulls, the API's pair form), and a value a rule cannot convert is one
// bad_value rejection at its line.
#include <gtest/gtest.h>

#include "core/sources/ingest.hpp"

namespace leadsync {
namespace {

IngestOptions Options(EmptyValues empty = EmptyValues::kSkip) {
  MappingOptions mapping;
  mapping.fields["email"] = {"EmailAddress", false, {}};
  mapping.fields["id"] = {"", true, {}};
  mapping.fields["amount"] = {"mx_Amount", false, {ValueType::kNumber, "", "", ""}};
  mapping.fields["active"] = {"mx_Active", false, {ValueType::kBoolean, "", "", ""}};
  mapping.fields["mobile"] = {"Phone", false, {ValueType::kPhone, "", "", "+91"}};
  mapping.fields["seen"] = {"mx_Seen", false, {ValueType::kDateTime, "%d/%m/%Y %H:%M", "Asia/Kolkata", ""}};
  mapping.constants["Source"] = "import";
  mapping.empty = empty;
  return IngestOptions{"src", Mapping(std::move(mapping)), std::nullopt};
}

// Every attribute of the one lead `text` yields, as "name=value" in order.
std::vector<std::string> OnlyLead(std::string_view text, InputFormat format, const IngestOptions& options) {
  const IngestBatch batch = Ingest(text, format, options, "in");
  EXPECT_TRUE(batch.rejections.empty()) << (batch.rejections.empty() ? "" : batch.rejections[0].reason);
  std::vector<std::string> pairs;
  if (batch.leads.size() != 1) {
    ADD_FAILURE() << batch.leads.size() << " leads";
    return pairs;
  }
  for (const Attribute& a : batch.leads[0].lead.attributes()) pairs.push_back(a.name + "=" + a.value);
  return pairs;
}

const std::vector<std::string> kMapped{
    "EmailAddress=a@x.com",        "mx_Amount=1234.5", "mx_Active=true", "Phone=+91-9876543210",
    "mx_Seen=2024-03-05 04:45:00", "Source=import"};

TEST(IngestMapping, EveryInputFormGivesTheSameLead) {
  const IngestOptions options = Options();
  EXPECT_EQ(OnlyLead("id,email,amount,active,mobile,seen,note\n"
                     "7,a@x.com,\"1,234.5\",Yes,98765 43210,05/03/2024 10:15,\n",
                     InputFormat::kCsv, options),
            kMapped);
  EXPECT_EQ(OnlyLead(R"({"id":7,"email":"a@x.com","amount":1234.5,"active":true,"mobile":9876543210,)"
                     R"("seen":"05/03/2024 10:15","note":null})",
                     InputFormat::kJsonl, options),
            kMapped);
  EXPECT_EQ(OnlyLead(R"([[{"Attribute":"id","Value":"7"},{"Attribute":"email","Value":"a@x.com"},)"
                     R"({"Attribute":"amount","Value":"1234.5"},{"Attribute":"active","Value":"1"},)"
                     R"({"Attribute":"mobile","Value":"+91 98765 43210"},)"
                     R"({"Attribute":"seen","Value":"05/03/2024 10:15"},{"Attribute":"note","Value":null}]])",
                     InputFormat::kJson, options),
            kMapped);
}

TEST(IngestMapping, EmptyClearKeepsEmptyCellsAndNullsAsEmptyValues) {
  const IngestOptions options = Options(EmptyValues::kClear);
  const std::vector<std::string> cleared{"EmailAddress=a@x.com", "mx_Amount=", "note=", "Source=import"};
  EXPECT_EQ(OnlyLead("email,amount,note\na@x.com,,\n", InputFormat::kCsv, options), cleared);
  EXPECT_EQ(OnlyLead(R"({"email":"a@x.com","amount":null,"note":null})", InputFormat::kJsonl, options),
            cleared);
  EXPECT_EQ(OnlyLead(R"({"email":"a@x.com","amount":"","note":""})", InputFormat::kJsonl, Options()), cleared)
      << "a JSON empty string is a value with skip too";
}

TEST(IngestMapping, ABadValueIsOneBadValueRejectionAtItsLineAndTheRestGoOn) {
  const IngestBatch batch = Ingest("email,amount\na@x.com,1\nb@x.com,12 apples\nc@x.com,3\n",
                                   InputFormat::kCsv, Options(), "f.csv");
  ASSERT_EQ(batch.leads.size(), 2u);
  ASSERT_EQ(batch.rejections.size(), 1u);
  const Rejection& rejection = batch.rejections[0];
  EXPECT_EQ(rejection.location, "f.csv:3");
  EXPECT_EQ(rejection.reason, "field 'amount': '12 apples' is not a number");
  EXPECT_EQ(rejection.category, "bad_value");
  EXPECT_EQ(rejection.record, "b@x.com,12 apples");
}

TEST(IngestMapping, AnEmptyRowIsStillAnEmptyRecordWithEmptyClear) {
  const IngestBatch batch =
      Ingest("email,amount\n , \n", InputFormat::kCsv, Options(EmptyValues::kClear), "f.csv");
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].reason, "empty record");
}

TEST(IngestMapping, TheKeyIsTakenFromTheMappedLead) {
  const IngestBatch batch = Ingest("mobile\n098765 43210\n", InputFormat::kCsv, Options(), "f.csv");
  ASSERT_EQ(batch.leads.size(), 1u);
  EXPECT_EQ(batch.leads[0].key, "phone:+919876543210");
}

}  // namespace
}  // namespace leadsync
