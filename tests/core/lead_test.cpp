#include "core/lead.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

Lead Make(std::vector<Attribute> attributes) { return Lead(std::move(attributes)); }

Attribute Set(std::string name, std::vector<Field> fields) {
  return Attribute{std::move(name), "", true, std::move(fields)};
}

TEST(Lead, FindsAttributesCaseInsensitively) {
  Lead lead = Make({{"EmailAddress", "a@x.com"}, {"mx_City", "Pune"}});
  ASSERT_NE(lead.Find("emailaddress"), nullptr);
  EXPECT_EQ(lead.Find("MX_CITY")->value, "Pune");
  EXPECT_EQ(lead.Find("Phone"), nullptr);
  EXPECT_TRUE(NamesEqual("SearchBy", "searchby"));
  EXPECT_FALSE(NamesEqual("Phone", "Phones"));
}

TEST(Lead, SetReplacesInPlaceOrAppends) {
  Lead lead = Make({{"EmailAddress", "a@x.com"}, {"FirstName", "A"}});
  lead.Set("firstname", "Anita");
  lead.Set("Phone", "+91 1");
  EXPECT_EQ(lead, Make({{"EmailAddress", "a@x.com"}, {"FirstName", "Anita"}, {"Phone", "+91 1"}}));
}

TEST(Lead, SetFieldsMergesIntoAnExistingSet) {
  Lead lead;
  lead.SetFields("mx_KYC", {{"Status", "Pending"}, {"Document", "PAN"}});
  lead.SetFields("MX_kyc", {{"status", "Verified"}, {"Expiry", "2030-01-01"}});
  EXPECT_EQ(lead,
            Make({Set("mx_KYC", {{"Status", "Verified"}, {"Document", "PAN"}, {"Expiry", "2030-01-01"}})}));
}

TEST(Lead, PutAppliesOneNewerAttribute) {
  Lead lead = Make({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Status", "Pending"}})});
  lead.Put({"emailaddress", "b@x.com"});
  lead.Put(Set("mx_KYC", {{"Document", "PAN"}}));
  lead.Put({"Phone", "1"});
  EXPECT_EQ(lead, Make({{"EmailAddress", "b@x.com"},
                        Set("mx_KYC", {{"Status", "Pending"}, {"Document", "PAN"}}),
                        {"Phone", "1"}}));
}

TEST(Lead, MergeFromKeepsOrderAndLetsTheLaterValueWin) {
  Lead older =
      Make({{"EmailAddress", "a@x.com"}, {"FirstName", "A"}, Set("mx_KYC", {{"Status", "Pending"}})});
  Lead newer = Make({{"FIRSTNAME", "Anita"},
                     Set("mx_kyc", {{"Status", "Verified"}, {"Document", "PAN"}}),
                     {"mx_City", "Pune"}});
  older.MergeFrom(newer);
  EXPECT_EQ(older, Make({{"EmailAddress", "a@x.com"},
                         {"FirstName", "Anita"},
                         Set("mx_KYC", {{"Status", "Verified"}, {"Document", "PAN"}}),
                         {"mx_City", "Pune"}}));
}

TEST(Lead, MergeFromItselfChangesNothing) {
  Lead lead = Make({{"EmailAddress", "a@x.com"}, Set("mx_KYC", {{"Status", "Pending"}})});
  Lead copy = lead;
  lead.MergeFrom(lead);
  EXPECT_EQ(lead, copy);
}

TEST(Lead, MergingManyChangesCostsOneRecord) {
  Lead lead = Make({{"EmailAddress", "a@x.com"}});
  for (int i = 0; i < 50; ++i)
    lead.MergeFrom(Make({{"EmailAddress", "a@x.com"}, {"mx_Step", std::to_string(i)}}));
  EXPECT_EQ(lead, Make({{"EmailAddress", "a@x.com"}, {"mx_Step", "49"}}));
}

TEST(LeadKey, NormalisesEmailButNotTheValueSent) {
  Lead lead = Make({{"EmailAddress", "  Asha.Rao@Example.COM "}});
  EXPECT_EQ(LeadKey(lead), "emailaddress:asha.rao@example.com");
  EXPECT_EQ(lead.Find("EmailAddress")->value, "  Asha.Rao@Example.COM ");
}

TEST(LeadKey, FallsBackToPhoneReducedToPlusAndDigits) {
  EXPECT_EQ(LeadKey(Make({{"Phone", "+91 (98450) 123-45"}})), "phone:+919845012345");
  EXPECT_EQ(LeadKey(Make({{"EmailAddress", "   "}, {"Phone", "98450"}})), "phone:98450");
}

TEST(LeadKey, EmailWinsOverPhoneByDefault) {
  EXPECT_EQ(LeadKey(Make({{"Phone", "1"}, {"EmailAddress", "a@x.com"}})), "emailaddress:a@x.com");
}

TEST(LeadKey, SearchByNamesTheKeyAttribute) {
  Lead by_phone = Make({{"EmailAddress", "a@x.com"}, {"Phone", "+91-1"}, {"SearchBy", "Phone"}});
  EXPECT_EQ(LeadKey(by_phone), "phone:+911");
  Lead by_custom = Make({{"mx_CustomerId", "  C-42 "}, {"SearchBy", " mx_CustomerId "}});
  EXPECT_EQ(LeadKey(by_custom), "mx_customerid:C-42");
  EXPECT_EQ(by_custom.SearchAttribute(), "mx_CustomerId");
}

TEST(LeadKey, SameLeadWrittenDifferentlyHasOneKey) {
  EXPECT_EQ(LeadKey(Make({{"EmailAddress", "A@X.com"}})),
            LeadKey(Make({{"emailaddress", " a@x.COM"}, {"SearchBy", "EmailAddress"}})));
}

TEST(LeadKey, MissingKeyIsRejectedWithAReason) {
  std::string reason;
  EXPECT_EQ(LeadKey(Make({{"FirstName", "A"}}), &reason), std::nullopt);
  EXPECT_EQ(reason, "no key: neither EmailAddress nor Phone is set");
  EXPECT_EQ(LeadKey(Make({{"Phone", "call me"}}), &reason), std::nullopt);
  EXPECT_EQ(LeadKey(Make({{"EmailAddress", "a@x.com"}, {"SearchBy", "Phone"}}), &reason), std::nullopt);
  EXPECT_EQ(reason, "no key: SearchBy names Phone, which the lead does not set");
  EXPECT_EQ(LeadKey(Make({{"Phone", "+"}, {"SearchBy", "Phone"}}), &reason), std::nullopt);
  EXPECT_EQ(reason, "no key: Phone is empty");
  EXPECT_EQ(LeadKey(Make({})), std::nullopt);
}

// Past a handful of attributes, names are found through an index: the same
// answers as a scan, at a cost linear in the record's size.
TEST(Lead, LargeLeadsFindSetAndMergeLikeSmallOnes) {
  Lead lead;
  for (int i = 0; i < 40'000; ++i) lead.Put({"mx_A" + std::to_string(i), std::to_string(i)});
  lead.Append({"MX_A7", "duplicate"});
  EXPECT_EQ(lead.attributes().size(), 40'001u);
  EXPECT_EQ(lead.Find("MX_a39999")->value, "39999");
  EXPECT_EQ(lead.Find("mx_a7")->value, "7") << "the first of duplicate names, as a scan finds";
  lead.Set("mx_a5", "five");
  lead.Put({"EmailAddress", "a@x.com"});
  EXPECT_EQ(lead.attributes()[5].value, "five");
  EXPECT_EQ(lead.attributes().back().name, "EmailAddress");

  Lead newer;
  for (int i = 0; i < 40'000; i += 2) newer.Put({"MX_A" + std::to_string(i), "new"});
  lead.MergeFrom(newer);
  EXPECT_EQ(lead.attributes().size(), 40'002u);
  EXPECT_EQ(lead.Find("mx_A2")->value, "new");
  EXPECT_EQ(lead.Find("mx_A3")->value, "3");
}

TEST(Lead, LargeFieldSetsMergeByName) {
  std::vector<Field> older;
  std::vector<Field> newer;
  for (int i = 0; i < 20'000; ++i) older.push_back({"F" + std::to_string(i), "old"});
  for (int i = 10'000; i < 30'000; ++i) newer.push_back({"f" + std::to_string(i), "new"});
  Lead lead;
  lead.SetFields("mx_Set", older);
  lead.SetFields("MX_SET", newer);
  const Attribute* set = lead.Find("mx_set");
  ASSERT_NE(set, nullptr);
  ASSERT_EQ(set->fields.size(), 30'000u);
  EXPECT_EQ(set->fields[9'999], (Field{"F9999", "old"}));
  EXPECT_EQ(set->fields[10'000], (Field{"F10000", "new"}));
  EXPECT_EQ(set->fields[29'999], (Field{"f29999", "new"}));
}

TEST(Lead, AppendFieldAddsToASetWithoutLookingForTheField) {
  Lead lead = Make({{"EmailAddress", "a@x.com"}, {"mx_KYC", "x"}});
  lead.AppendField("MX_KYC", {"Status", "P"});
  lead.AppendField("mx_Other", {"Level", "2"});
  EXPECT_EQ(lead, Make({{"EmailAddress", "a@x.com"},
                        Set("mx_KYC", {{"Status", "P"}}),
                        Set("mx_Other", {{"Level", "2"}})}));
}

TEST(Normalise, TrimsEmailsAndPhones) {
  EXPECT_EQ(NormaliseEmail("\t Foo@Bar.IN\n"), "foo@bar.in");
  EXPECT_EQ(NormalisePhone("+1 (555) 010-9999 ext"), "+15550109999");
  EXPECT_EQ(NormalisePhone("n/a"), "");
  EXPECT_EQ(Trim("  a b  "), "a b");
  EXPECT_EQ(Trim(""), "");
}

}  // namespace
}  // namespace leadsync
