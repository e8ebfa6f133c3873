#include "core/schema/schema_check.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

LeadSchema TestSchema() {
  std::string error;
  auto schema = ParseLeadSchema(R"([
    {"SchemaName":"EmailAddress","DataType":"Email","MaxLength":"100"},
    {"SchemaName":"FirstName","DataType":"Text","MaxLength":"5"},
    {"SchemaName":"mx_Course","DataType":"Select","Options":[{"Value":"MBA"},{"Value":"BBA"}]},
    {"SchemaName":"mx_Open","DataType":"Select"},
    {"SchemaName":"mx_KYC","DataType":"CustomObject"}
  ])",
                                &error);
  EXPECT_TRUE(schema) << error;
  return *schema;
}

struct CheckCase {
  std::string name;
  std::vector<Attribute> attributes;
  std::vector<SchemaProblem> problems;
};

class CheckLeadTest : public ::testing::TestWithParam<CheckCase> {};

TEST_P(CheckLeadTest, FindsWhatTheApiWouldRefuse) {
  EXPECT_EQ(CheckLead(Lead(GetParam().attributes), TestSchema()), GetParam().problems);
}

Attribute Pair(std::string name, std::string value) { return Attribute{std::move(name), std::move(value)}; }

const Attribute kEmail = Pair("EmailAddress", "a@x.com");

INSTANTIATE_TEST_SUITE_P(
    Records, CheckLeadTest,
    ::testing::Values(
        CheckCase{"Clean", {kEmail, Pair("FirstName", "Ann"), Pair("mx_Course", "MBA")}, {}},
        CheckCase{
            "NamesAndOptionsIgnoreCase", {Pair("emailaddress", "a@x.com"), Pair("MX_COURSE", "mba")}, {}},
        CheckCase{"SearchByIsNoField", {kEmail, Pair("SearchBy", "EmailAddress")}, {}},
        CheckCase{"UnknownAttribute",
                  {kEmail, Pair("mx_Cours", "MBA")},
                  {{SchemaProblemKind::kUnknownAttribute, "mx_Cours",
                    "attribute 'mx_Cours' is not a lead field of the account"}}},
        CheckCase{"OverMaxLength",
                  {kEmail, Pair("FirstName", "Annabel")},
                  {{SchemaProblemKind::kTooLong, "FirstName",
                    "attribute 'FirstName': 7 characters, over its MaxLength of 5"}}},
        CheckCase{"MaxLengthCountsCharacters", {kEmail, Pair("FirstName", "Zoëlä")}, {}},
        CheckCase{"NotAnOption",
                  {kEmail, Pair("mx_Course", "PhD")},
                  {{SchemaProblemKind::kNotAnOption, "mx_Course",
                    "attribute 'mx_Course': 'PhD' is not one of its options"}}},
        CheckCase{"OptionTrimmed", {kEmail, Pair("mx_Course", " BBA ")}, {}},
        CheckCase{"ASelectWithoutOptionsTakesAnything", {kEmail, Pair("mx_Open", "anything")}, {}},
        CheckCase{"AClearIsNeverWrong", {kEmail, Pair("FirstName", ""), Pair("mx_Course", "")}, {}},
        CheckCase{"AFieldSetByItsName",
                  {kEmail, Attribute{"mx_KYC", "", true, {{"Status", "whatever it is"}}}},
                  {}},
        CheckCase{"AnUnknownFieldSet",
                  {kEmail, Attribute{"mx_KYB", "", true, {{"Status", "x"}}}},
                  {{SchemaProblemKind::kUnknownAttribute, "mx_KYB",
                    "attribute 'mx_KYB' is not a lead field of the account"}}},
        CheckCase{"EveryProblemOnce",
                  {Pair("Emial", "a@x.com"), Pair("FirstName", "Annabel"), Pair("mx_Course", "PhD")},
                  {{SchemaProblemKind::kUnknownAttribute, "Emial",
                    "attribute 'Emial' is not a lead field of the account"},
                   {SchemaProblemKind::kTooLong, "FirstName",
                    "attribute 'FirstName': 7 characters, over its MaxLength of 5"},
                   {SchemaProblemKind::kNotAnOption, "mx_Course",
                    "attribute 'mx_Course': 'PhD' is not one of its options"}}}),
    [](const ::testing::TestParamInfo<CheckCase>& param) { return param.param.name; });

}  // namespace
}  // namespace leadsync
