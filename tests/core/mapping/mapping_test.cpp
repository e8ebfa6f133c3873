#include "core/mapping/mapping.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace leadsync {
namespace {

Lead Plain(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  Lead lead;
  for (const auto& [name, value] : pairs) lead.Append(Attribute{name, value});
  return lead;
}

FieldRule Rename(std::string to) { return FieldRule{std::move(to), false, {}}; }
FieldRule Drop() { return FieldRule{"", true, {}}; }
FieldRule Convert(std::string to, ValueType type, std::string format = "", std::string zone = "",
                  std::string country = "") {
  return FieldRule{std::move(to), false, {type, std::move(format), std::move(zone), std::move(country)}};
}

Lead Mapped(const MappingOptions& options, Lead lead) {
  const std::optional<std::string> problem = Mapping(options).Apply(lead);
  EXPECT_FALSE(problem.has_value()) << problem.value_or("");
  return lead;
}

TEST(Mapping, RenamesDropsAndConvertsInTheRecordsOrder) {
  MappingOptions options;
  options.fields = {
      {"email", Rename("EmailAddress")},
      {"internal_id", Drop()},
      {"signup", Convert("mx_Signup_Date", ValueType::kDateTime, "%d/%m/%Y %H:%M", "Asia/Kolkata")},
      {"mobile", Convert("Phone", ValueType::kPhone, "", "", "+91")},
      {"active", Convert("mx_Active", ValueType::kBoolean)},
      {"amount", Convert("mx_Amount", ValueType::kNumber)},
      {"dob", Convert("mx_DOB", ValueType::kDate, "%d/%m/%y")}};
  const Lead lead = Mapped(options, Plain({{"internal_id", "42"},
                                           {"email", "a@x.com"},
                                           {"signup", "05/03/2024 10:15"},
                                           {"mobile", "98765 43210"},
                                           {"active", "Yes"},
                                           {"amount", "1,234.50"},
                                           {"dob", "15/08/99"},
                                           {"City", "Pune"}}));
  EXPECT_EQ(lead, Plain({{"EmailAddress", "a@x.com"},
                         {"mx_Signup_Date", "2024-03-05 04:45:00"},
                         {"Phone", "+91-9876543210"},
                         {"mx_Active", "true"},
                         {"mx_Amount", "1234.50"},
                         {"mx_DOB", "1999-08-15"},
                         {"City", "Pune"}}));
}

TEST(Mapping, ABadValueRefusesTheRecordNamingTheFieldAndQuotingTheValue) {
  MappingOptions options;
  options.fields = {{"amount", Convert("mx_Amount", ValueType::kNumber)}};
  Lead lead = Plain({{"EmailAddress", "a@x.com"}, {"amount", "12 apples"}});
  const Lead before = lead;
  const std::optional<std::string> problem = Mapping(options).Apply(lead);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(*problem, "field 'amount': '12 apples' is not a number");
  EXPECT_EQ(lead, before);
}

TEST(Mapping, AQuotedValueIsEscapedAndCut) {
  MappingOptions options;
  options.fields = {{"d", Convert("mx_D", ValueType::kDate)}};
  Lead lead = Plain({{"d", "it's\n\x1b[31m"}});
  EXPECT_EQ(Mapping(options).Apply(lead).value_or(""),
            "field 'd': 'it\\'s\\x0a\\x1b[31m' is not a date in the form '%Y-%m-%d'");
  const std::string long_value = std::string(70, 'x');
  EXPECT_EQ(QuoteValue(long_value), "'" + std::string(64, 'x') + "'...");
  // Cut before a UTF-8 sequence, never inside one: "é" is two bytes.
  EXPECT_EQ(QuoteValue(std::string(63, 'x') + "\xc3\xa9" + "y"), "'" + std::string(63, 'x') + "'...");
  EXPECT_EQ(QuoteValue("back\\slash"), "'back\\\\slash'");
}

TEST(Mapping, EmptyValuesAreNeverConverted) {
  MappingOptions options;
  options.fields = {{"amount", Convert("mx_Amount", ValueType::kNumber)},
                    {"mobile", Convert("Phone", ValueType::kPhone)}};
  EXPECT_EQ(Mapped(options, Plain({{"EmailAddress", "a@x.com"}, {"amount", ""}, {"mobile", "  "}})),
            Plain({{"EmailAddress", "a@x.com"}, {"mx_Amount", ""}, {"Phone", "  "}}));
}

TEST(Mapping, ConstantsFillWhatARecordHasNoValueFor) {
  MappingOptions options;
  options.constants = {
      {"SourceCampaign", "Diwali 2024"}, {"Source", "Website"}, {"mx_KYC.Status", "Pending"}};
  const Lead lead =
      Mapped(options, Plain({{"EmailAddress", "a@x.com"}, {"Source", "Referral"}, {"SourceCampaign", ""}}));
  EXPECT_EQ(lead.Find("Source")->value, "Referral");             // a record's own value wins
  EXPECT_EQ(lead.Find("SourceCampaign")->value, "Diwali 2024");  // an empty one does not
  const Attribute* kyc = lead.Find("mx_KYC");
  ASSERT_NE(kyc, nullptr);
  EXPECT_TRUE(kyc->is_field_set);
  EXPECT_EQ(kyc->fields, (std::vector<Field>{{"Status", "Pending"}}));
}

TEST(Mapping, FieldSetsAreMappedByTheWholeNameFirstThenBySet) {
  MappingOptions options;
  options.fields = {{"kyc", Rename("mx_KYC")},
                    {"kyc.Checked", Convert("mx_KYC.Checked_On", ValueType::kDate, "%d/%m/%Y")},
                    {"kyc.Secret", Drop()},
                    {"kyc.Score", Convert("mx_Score", ValueType::kNumber)},
                    {"doc_status", Rename("mx_Docs.Status")}};
  Lead in;
  in.Append(Attribute{"EmailAddress", "a@x.com"});
  in.Append(Attribute{
      "kyc", "", true, {{"Status", "Done"}, {"Checked", "01/02/2024"}, {"Secret", "s"}, {"Score", "7.0"}}});
  in.Append(Attribute{"doc_status", "Verified"});
  const Lead lead = Mapped(options, in);
  const Attribute* kyc = lead.Find("mx_KYC");
  ASSERT_NE(kyc, nullptr);
  EXPECT_EQ(kyc->fields, (std::vector<Field>{{"Checked_On", "2024-02-01"}, {"Status", "Done"}}));
  EXPECT_EQ(lead.Find("mx_Score")->value, "7.0");
  EXPECT_EQ(lead.Find("kyc"), nullptr);
  const Attribute* docs = lead.Find("mx_Docs");
  ASSERT_NE(docs, nullptr);
  EXPECT_EQ(docs->fields, (std::vector<Field>{{"Status", "Verified"}}));
}

TEST(Mapping, ADroppedSetTakesItsUnmappedFieldsWithIt) {
  MappingOptions options;
  options.fields = {{"meta", Drop()}, {"meta.Origin", Rename("Origin")}};
  Lead in;
  in.Append(Attribute{"EmailAddress", "a@x.com"});
  in.Append(Attribute{"meta", "", true, {{"Origin", "form"}, {"Debug", "1"}}});
  EXPECT_EQ(Mapped(options, in), Plain({{"EmailAddress", "a@x.com"}, {"Origin", "form"}}));
}

TEST(Mapping, AConversionOnAWholeSetRefusesTheRecord) {
  MappingOptions options;
  options.fields = {{"kyc", Convert("mx_KYC", ValueType::kDate)}};
  Lead lead;
  lead.Append(Attribute{"kyc", "", true, {{"Status", "Done"}}});
  EXPECT_NE(Mapping(options).Apply(lead).value_or("").find("is a custom field set"), std::string::npos);
}

TEST(Mapping, SearchByFollowsARename) {
  MappingOptions options;
  options.fields = {{"mobile", Convert("Phone", ValueType::kPhone, "", "", "+91")}};
  const Lead lead = Mapped(options, Plain({{"mobile", "98765 43210"}, {"SearchBy", "mobile"}}));
  EXPECT_EQ(lead, Plain({{"Phone", "+91-9876543210"}, {"SearchBy", "Phone"}}));
}

TEST(Mapping, TwoInputsForOneAttributeTheLaterWins) {
  MappingOptions options;
  options.fields = {{"mobile", Rename("Phone")}, {"phone", Rename("Phone")}};
  EXPECT_EQ(Mapped(options, Plain({{"mobile", "1"}, {"phone", "2"}})), Plain({{"Phone", "2"}}));
}

TEST(Mapping, NamesWithoutARuleKeepTheirForm) {
  MappingOptions options;
  options.fields = {{"x", Rename("y")}};
  EXPECT_EQ(Mapped(options, Plain({{"a.b", "1"}, {"Other", "2"}})), Plain({{"a.b", "1"}, {"Other", "2"}}));
}

TEST(Mapping, AnEmptyMappingLeavesTheLeadAlone) {
  const Lead in = Plain({{"email", "a@x.com"}, {"x", ""}});
  Lead lead = in;
  EXPECT_FALSE(Mapping().Apply(lead).has_value());
  EXPECT_EQ(lead, in);
  EXPECT_EQ(Mapping().empty(), EmptyValues::kSkip);
}

TEST(Mapping, RefusesSettingsTheChecksRefuse) {
  MappingOptions options;
  options.fields = {{"t", Convert("mx_T", ValueType::kDateTime, "", "Mars/Olympus")}};
  EXPECT_THROW(Mapping{options}, std::invalid_argument);
  options.fields = {{"t", Convert("", ValueType::kText)}};
  EXPECT_THROW(Mapping{options}, std::invalid_argument);
}

}  // namespace
}  // namespace leadsync
