#include "core/sources/webhook_body.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace leadsync {
namespace {

using ::testing::HasSubstr;

const IngestOptions kOptions{"forms", {}, std::nullopt};

std::vector<std::string> Keys(const WebhookBody& body) {
  std::vector<std::string> keys;
  for (const IncomingLead& lead : body.leads) keys.push_back(lead.key);
  return keys;
}

TEST(WebhookBody, ReadsOneLeadInEitherForm) {
  const WebhookBody flat = DecodeWebhookBody(R"({"EmailAddress":"a@x.com"})", kOptions);
  EXPECT_EQ(flat.problem, std::nullopt);
  EXPECT_EQ(Keys(flat), std::vector<std::string>{"emailaddress:a@x.com"});
  const WebhookBody pairs = DecodeWebhookBody(
      R"( [ {"Value":"+91 98000 00001","Attribute":"Phone"}, {"Attribute":"FirstName","Value":"P"} ] )",
      kOptions);
  EXPECT_EQ(pairs.problem, std::nullopt);
  EXPECT_EQ(Keys(pairs), std::vector<std::string>{"phone:+919800000001"});
}

TEST(WebhookBody, ReadsAnArrayMixingBothForms) {
  const WebhookBody body = DecodeWebhookBody(R"([
      {"EmailAddress":"a@x.com","Score":1.50,"Ok":true},
      [{"Attribute":"EmailAddress","Value":"b@x.com"}]
  ])",
                                             kOptions);
  ASSERT_EQ(body.problem, std::nullopt);
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com"}));
  // Numbers keep their literal text.
  EXPECT_EQ(body.leads[0].lead.Find("Score")->value, "1.50");
  EXPECT_EQ(body.leads[0].lead.Find("Ok")->value, "true");
  EXPECT_TRUE(DecodeWebhookBody("[]", kOptions).leads.empty());
  EXPECT_EQ(DecodeWebhookBody("[]", kOptions).problem, std::nullopt);
}

TEST(WebhookBody, NamesTheFirstBadLeadAndKeepsNone) {
  const WebhookBody body =
      DecodeWebhookBody(R"([{"EmailAddress":"a@x.com"},{"FirstName":"x"},{"Phone":""}])", kOptions);
  EXPECT_TRUE(body.leads.empty());
  ASSERT_TRUE(body.problem);
  EXPECT_EQ(body.problem->index, 1u);
  EXPECT_THAT(body.problem->error, HasSubstr("no key"));
}

TEST(WebhookBody, RefusesWhatIsNotJsonOrNotLeads) {
  struct Case {
    const char* body;
    std::size_t index;
    const char* says;
  };
  for (const Case& c :
       {Case{"", 0, "invalid JSON"}, Case{"{", 0, "invalid JSON"}, Case{"\"a\"", 0, "expected a lead"},
        Case{R"([{"EmailAddress":"a@x.com"}, "b"])", 1, "expected a lead"},
        Case{R"([{"EmailAddress":"a@x.com"}] x)", 0, "invalid JSON"},
        Case{R"([{"EmailAddress":"a@x.com"}, {"EmailAddress": tru}])", 1, "invalid JSON"},
        Case{R"({"EmailAddress":"a@x.com"} {})", 0, "invalid JSON"}}) {
    const WebhookBody body = DecodeWebhookBody(c.body, kOptions);
    ASSERT_TRUE(body.problem) << c.body;
    EXPECT_EQ(body.problem->index, c.index) << c.body;
    EXPECT_THAT(body.problem->error, HasSubstr(c.says)) << c.body;
    EXPECT_THAT(body.problem->category, ::testing::AnyOf("invalid_json", "bad_value")) << c.body;
    EXPECT_TRUE(body.leads.empty());
  }
}

}  // namespace
}  // namespace leadsync
