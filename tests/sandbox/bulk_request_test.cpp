#include "sandbox/bulk_request.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

TEST(ParseBulkRequest, ReadsPairsFieldSetsAndTheRecordJson) {
  const auto records = ParseBulkRequest(R"([
      [{"Attribute":"EmailAddress","Value":"a@x.com"},
       {"Attribute":"mx_KYC","Value":"","Fields":[{"Attribute":"Status","Value":"Pending"}]}],
      [{"Attribute":"Phone","Value":null}]])",
                                        nullptr);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  const Lead& first = (*records)[0].lead;
  EXPECT_EQ(first.Find("EmailAddress")->value, "a@x.com");
  ASSERT_TRUE(first.Find("mx_KYC")->is_field_set);
  EXPECT_EQ(first.Find("mx_KYC")->fields, (std::vector<Field>{{"Status", "Pending"}}));
  EXPECT_EQ((*records)[0].json.find(' '), std::string::npos);
  EXPECT_NE((*records)[0].json.find(R"("Value":"Pending")"), std::string::npos);
  EXPECT_EQ((*records)[1].lead.Find("Phone")->value, "");
}

TEST(ParseBulkRequest, AcceptsAnEmptyArray) {
  const auto records = ParseBulkRequest("[]", nullptr);
  ASSERT_TRUE(records);
  EXPECT_TRUE(records->empty());
}

TEST(ParseBulkRequest, RejectsWhatIsNotAnArrayOfPairArrays) {
  for (const char* bad :
       {"", "{}", "[", R"({"Attribute":"x"})", R"([{"Attribute":"x","Value":"y"}])", "[[1]]",
        R"([[{"Value":"y"}]])", R"([[{"Attribute":"","Value":"y"}]])", R"([[{"Attribute":"x","Value":5}]])",
        R"([[{"Attribute":"x","Value":"","Fields":{}}]])",
        R"([[{"Attribute":"x","Value":"","Fields":[{"Attribute":"f","Value":true}]}]])"}) {
    std::string error;
    EXPECT_FALSE(ParseBulkRequest(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace leadsync
