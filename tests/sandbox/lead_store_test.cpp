#include "sandbox/lead_store.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace leadsync {
namespace {

Lead Record(std::vector<Attribute> attributes) { return Lead(std::move(attributes)); }

class LeadStoreTest : public ::testing::Test {
 protected:
  std::mt19937 generator_{42};
  LeadStore store_{generator_};
};

TEST_F(LeadStoreTest, CreatesThenUpdatesByEmailIgnoringCase) {
  const ApplyResult created = store_.Apply(Record({{"EmailAddress", "Ann@X.com"}, {"FirstName", "Ann"}}));
  EXPECT_TRUE(created.created);
  EXPECT_FALSE(created.updated);
  const ApplyResult updated = store_.Apply(Record({{"EmailAddress", " ann@x.COM "}, {"City", "Pune"}}));
  EXPECT_TRUE(updated.updated);
  EXPECT_EQ(updated.lead_id, created.lead_id);
  ASSERT_EQ(store_.leads().size(), 1u);
  const Lead& lead = store_.leads()[0].lead;
  EXPECT_EQ(lead.Find("FirstName")->value, "Ann");
  EXPECT_EQ(lead.Find("City")->value, "Pune");
  EXPECT_EQ(lead.Find("EmailAddress")->value, " ann@x.COM ");
}

TEST_F(LeadStoreTest, MergesCustomFieldSetFields) {
  store_.Apply(
      Record({{"EmailAddress", "a@x.com"}, {"mx_KYC", "", true, {{"Status", "Pending"}, {"Level", "1"}}}}));
  store_.Apply(Record({{"EmailAddress", "a@x.com"}, {"mx_KYC", "", true, {{"Level", "2"}, {"By", "ops"}}}}));
  const Attribute* kyc = store_.leads()[0].lead.Find("mx_KYC");
  ASSERT_NE(kyc, nullptr);
  EXPECT_EQ(kyc->fields, (std::vector<Field>{{"Status", "Pending"}, {"Level", "2"}, {"By", "ops"}}));
}

TEST_F(LeadStoreTest, MatchesPhonesByDigits) {
  const ApplyResult created = store_.Apply(Record({{"Phone", "+91 98765-43210"}}));
  const ApplyResult updated = store_.Apply(Record({{"Phone", "919876543210"}, {"FirstName", "P"}}));
  EXPECT_TRUE(updated.updated);
  EXPECT_EQ(updated.lead_id, created.lead_id);
  EXPECT_EQ(store_.Find("+919876543210"), &store_.leads()[0]);
}

TEST_F(LeadStoreTest, SearchByNamesTheMatchingAttributeAndIsNotStored) {
  const ApplyResult created = store_.Apply(Record({{"mx_CustomerId", "C-7"}, {"EmailAddress", "old@x.com"}}));
  const ApplyResult updated = store_.Apply(
      Record({{"SearchBy", "mx_CustomerId"}, {"mx_CustomerId", "C-7"}, {"EmailAddress", "new@x.com"}}));
  EXPECT_EQ(updated.lead_id, created.lead_id);
  const Lead& lead = store_.leads()[0].lead;
  EXPECT_EQ(lead.Find("SearchBy"), nullptr);
  EXPECT_EQ(lead.Find("EmailAddress")->value, "new@x.com");
  EXPECT_EQ(store_.Find("new@x.com"), &store_.leads()[0]);
  EXPECT_EQ(store_.Find("old@x.com"), nullptr);
}

TEST_F(LeadStoreTest, RecordWithoutKeyGetsAnErrorAndNoLead) {
  const ApplyResult result = store_.Apply(Record({{"FirstName", "Nobody"}}));
  EXPECT_TRUE(result.lead_id.empty());
  EXPECT_FALSE(result.error.empty());
  const ApplyResult missing = store_.Apply(Record({{"SearchBy", "mx_Id"}, {"EmailAddress", "a@x.com"}}));
  EXPECT_TRUE(missing.lead_id.empty());
  EXPECT_NE(missing.error.find("mx_Id"), std::string::npos);
  EXPECT_TRUE(store_.leads().empty());
}

TEST_F(LeadStoreTest, LeadIdsAreDistinctUuidV4) {
  const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const ApplyResult a = store_.Apply(Record({{"EmailAddress", "a@x.com"}}));
  const ApplyResult b = store_.Apply(Record({{"EmailAddress", "b@x.com"}}));
  EXPECT_TRUE(std::regex_match(a.lead_id, uuid_v4)) << a.lead_id;
  EXPECT_NE(a.lead_id, b.lead_id);
}

TEST_F(LeadStoreTest, ClearForgetsEverything) {
  store_.Apply(Record({{"EmailAddress", "a@x.com"}}));
  store_.Clear();
  EXPECT_TRUE(store_.leads().empty());
  EXPECT_EQ(store_.Find("a@x.com"), nullptr);
  EXPECT_TRUE(store_.Apply(Record({{"EmailAddress", "a@x.com"}})).created);
}

}  // namespace
}  // namespace leadsync
