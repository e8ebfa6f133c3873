#include "core/dispatch/batch_plan.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/codec/api_body.hpp"

namespace leadsync {
namespace {

IncomingLead Change(const std::string& email, std::vector<Attribute> attributes) {
  attributes.insert(attributes.begin(), Attribute{"EmailAddress", email});
  Lead lead(std::move(attributes));
  return {*LeadKey(lead), "s", lead};
}

// The records of a body, decoded.
std::vector<Lead> Records(const std::string& body) {
  const boost::json::value parsed = boost::json::parse(body);
  std::vector<Lead> leads;
  for (const boost::json::value& record : parsed.as_array()) {
    leads.push_back(DecodeRecord(boost::json::serialize(record)).value());
  }
  return leads;
}

// The EmailAddress of each record of a body, in order.
std::vector<std::string> Emails(const std::string& body) {
  std::vector<std::string> emails;
  for (const Lead& lead : Records(body)) emails.push_back(lead.Find("EmailAddress")->value);
  return emails;
}

TEST(BatchPlan, CoalescesByKeyKeepsFirstArrivalOrderAndCutsBatches) {
  BatchPlan plan(2);
  plan.Add(std::vector{Change("a@x.com", {{"FirstName", "A1"}}), Change("b@x.com", {})});
  plan.Add(std::vector{Change("c@x.com", {}), Change("A@X.com", {{"FirstName", "A2"}, {"City", "Pune"}})});

  const std::string first = plan.NextBody();
  EXPECT_EQ(Emails(first), (std::vector<std::string>{"A@X.com", "b@x.com"}))
      << "one record for the key, as last written";
  const Lead a = Records(first).at(0);
  EXPECT_EQ(a.Find("FirstName")->value, "A2") << "the later change wins";
  EXPECT_EQ(a.Find("City")->value, "Pune");
  EXPECT_EQ(Emails(plan.NextBody()), (std::vector<std::string>{"c@x.com"}));
  EXPECT_EQ(plan.NextBody(), "");
}

TEST(BatchPlan, CutsBatchesByBodyBytes) {
  BatchPlan plan(25, 2 + 2 * 86 + 1);  // two records of 86 bytes, not three
  for (const char* email : {"a@x.com", "b@x.com", "c@x.com"}) {
    plan.Add(std::vector{Change(email, {{"FirstName", "N"}})});
  }
  const std::string first = plan.NextBody();
  EXPECT_EQ(Emails(first), (std::vector<std::string>{"a@x.com", "b@x.com"})) << first;
  EXPECT_EQ(first.size(), 2u + 2 * 86 + 1);
  EXPECT_EQ(Emails(plan.NextBody()), (std::vector<std::string>{"c@x.com"}));
}

TEST(BatchPlan, ABodyIsTheStoredRecordsJoined) {
  std::vector<QueuedRecord> records(2);
  records[0].record = R"([{"Attribute":"A","Value":"1"}])";
  records[1].record = R"([{"Attribute":"B","Value":"2"}])";
  EXPECT_EQ(BatchBody(records), R"([[{"Attribute":"A","Value":"1"}],[{"Attribute":"B","Value":"2"}]])");
}

}  // namespace
}  // namespace leadsync
