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

}  // namespace
}  // namespace leadsync::config
