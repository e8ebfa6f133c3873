// What `leadsync check` warns about: valid settings that are probably not meant.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/attribute_names.hpp"
#include "tests/config/config_test_util.hpp"

namespace leadsync::config {
namespace {

using test_docs::Errors;
using test_docs::Load;
using test_docs::SourceWith;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Each warning of a document whose only source has `keys` from line 9, as "LINE:COL: message".
std::vector<std::string> Warnings(std::string_view keys) {
  const LoadResult result = Load(SourceWith(keys));
  EXPECT_THAT(Errors(result), ElementsAre());
  EXPECT_TRUE(result.config.has_value()) << "a warning never makes a config invalid";
  std::vector<std::string> out;
  for (const ConfigError& w : result.warnings) {
    out.push_back(std::to_string(w.line) + ":" + std::to_string(w.column) + ": " + w.message);
  }
  return out;
}

TEST(AttributeNames, BuiltInsAndCustomFieldsAreKnownWhateverTheirCase) {
  for (std::string_view name :
       {"EmailAddress", "emailaddress", "Phone", "ZipCode", "mx_City", "MX_Anything"}) {
    EXPECT_TRUE(IsKnownAttribute(name)) << name;
  }
  for (std::string_view name : {"Email", "mx_", "city_name", ""})
    EXPECT_FALSE(IsKnownAttribute(name)) << name;
}

TEST(ConfigWarnings, FieldsTargetThatIsNoKnownAttributeIsAWarningNotAnError) {
  EXPECT_THAT(
      Warnings("type: spool\npath: /s\nfields: { email: EmailAddress, kyc: mx_KYC.Status, city: Town }"),
      ElementsAre("11:62: fields.city: 'Town' is neither a common LeadSquared attribute nor a custom one "
                  "(mx_...); it is sent as written"));
}

TEST(ConfigWarnings, SearchByIsCheckedToo) {
  EXPECT_THAT(Warnings("type: spool\npath: /s\nsearch_by: mx_CustomerId"), ElementsAre());
  EXPECT_THAT(
      Warnings("type: spool\npath: /s\nsearch_by: CustomerId"),
      ElementsAre("11:16: search_by: 'CustomerId' is neither a common LeadSquared attribute nor a custom "
                  "one (mx_...); it is sent as written"));
}

TEST(ConfigWarnings, TailFileWhoseNameDoesNotSayItsFormat) {
  EXPECT_THAT(Warnings("type: tail\npath: /log/leads.jsonl"), ElementsAre());
  EXPECT_THAT(Warnings("type: tail\npath: /log/leads.log\nformat: jsonl"), ElementsAre());
  EXPECT_THAT(
      Warnings("type: tail\npath: /log/leads.log"),
      ElementsAre("10:11: path: format auto cannot tell how to follow '/log/leads.log' (.jsonl, .ndjson "
                  "or .csv); the source waits until format is set"));
}

// Each warning of a document whose leadsquared section has `api_host` (line
// 2, value at column 13) and then `extra` from line 5, as "LINE:COL: message".
std::vector<std::string> LeadSquaredWarnings(std::string_view api_host, std::string_view extra = {}) {
  const LoadResult result =
      Load("leadsquared:\n  api_host: " + std::string(api_host) + "\n  access_key: ak\n  secret_key: sk\n" +
           test_docs::Indent(extra, 2) + test_docs::QueueAndSpool());
  EXPECT_THAT(Errors(result), ElementsAre());
  std::vector<std::string> out;
  for (const ConfigError& w : result.warnings) {
    out.push_back(std::to_string(w.line) + ":" + std::to_string(w.column) + ": " + w.message);
  }
  return out;
}

TEST(ConfigWarnings, PlainHttpToAnotherMachineSendsTheKeysInClear) {
  EXPECT_THAT(LeadSquaredWarnings("http://api-in21.leadsquared.com"),
              ElementsAre("2:13: api_host: http:// to 'api-in21.leadsquared.com' sends the keys and every "
                          "lead in clear over the network; use https://"));
  EXPECT_THAT(LeadSquaredWarnings("HTTP://10.0.0.5:8080"),
              ElementsAre(HasSubstr("api_host: http:// to '10.0.0.5'")));
  EXPECT_THAT(LeadSquaredWarnings("http://[fe80::1]:8080"), ElementsAre(HasSubstr("'fe80::1'")));
  for (std::string_view local : {"http://127.0.0.1:8080", "http://127.9.8.7", "http://localhost",
                                 "HTTP://LocalHost:81", "http://[::1]:8080", "https://api.leadsquared.com"}) {
    EXPECT_THAT(LeadSquaredWarnings(local), ElementsAre()) << local;
  }
}

TEST(ConfigWarnings, TlsVerifyOffLetsWhoeverIsOnThePathReadTheKeys) {
  EXPECT_THAT(LeadSquaredWarnings("https://api.leadsquared.com", "tls_verify: false"),
              ElementsAre("5:15: tls_verify: false accepts any certificate for 'api.leadsquared.com', so "
                          "whoever is on the path can read the keys and every lead; remove it (true is the "
                          "default)"));
  EXPECT_THAT(LeadSquaredWarnings("https://api.leadsquared.com", "tls_verify: true"), ElementsAre());
  EXPECT_THAT(LeadSquaredWarnings("https://127.0.0.1:8443", "tls_verify: false"), ElementsAre());
  EXPECT_THAT(LeadSquaredWarnings("http://localhost:8080", "tls_verify: false"), ElementsAre())
      << "tls_verify does nothing for http://";
}

}  // namespace
}  // namespace leadsync::config
