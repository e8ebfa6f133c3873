// A source's mapping keys: fields (rename, drop, conversion), constants, empty.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.hpp"
#include "tests/config/config_test_util.hpp"

namespace leadsync::config {
namespace {

using test_docs::Errors;
using test_docs::Load;
using test_docs::SourceWith;
using ::testing::ElementsAre;

// The only source of a document whose source keys are `keys` (see SourceWith:
// they start on line 9, column 5).
Source OnlySource(std::string_view keys) {
  const LoadResult result = Load(SourceWith(keys));
  EXPECT_THAT(Errors(result), ElementsAre());
  if (!result.config || result.config->sources.size() != 1) return Source{};
  return result.config->sources[0];
}

std::vector<std::string> SourceErrors(std::string_view keys) { return Errors(Load(SourceWith(keys))); }

std::vector<std::string> SourceWarnings(std::string_view keys) {
  std::vector<std::string> out;
  for (const ConfigError& w : Load(SourceWith(keys)).warnings) {
    out.push_back(std::to_string(w.line) + ":" + std::to_string(w.column) + ": " + w.message);
  }
  return out;
}

TEST(ConfigMapping, ReadsRenamesDropsAndConversions) {
  const Source source = OnlySource(
      "type: spool\n"
      "path: /s\n"
      "fields:\n"
      "  email: EmailAddress\n"
      "  internal_id: drop\n"
      "  signup: { to: mx_Signup_Date, type: datetime, format: \"%d/%m/%Y %H:%M\", timezone: Asia/Kolkata }\n"
      "  mobile: { to: Phone, type: phone, country: \"+91\" }\n"
      "  active: { to: mx_Active, type: boolean }\n"
      "  amount: { to: mx_Amount, type: number }\n"
      "  d: { to: mx_D, type: date, format: \"%d/%m/%y\" }\n"
      "  note: { to: mx_Note }\n");
  EXPECT_EQ(source.fields, (std::map<std::string, std::string>{{"active", "mx_Active"},
                                                               {"amount", "mx_Amount"},
                                                               {"d", "mx_D"},
                                                               {"email", "EmailAddress"},
                                                               {"mobile", "Phone"},
                                                               {"note", "mx_Note"},
                                                               {"signup", "mx_Signup_Date"}}));
  EXPECT_EQ(source.drop, (std::set<std::string>{"internal_id"}));
  EXPECT_EQ(source.conversions, (std::map<std::string, Conversion>{
                                    {"active", {ValueType::kBoolean, "", "", ""}},
                                    {"amount", {ValueType::kNumber, "", "", ""}},
                                    {"d", {ValueType::kDate, "%d/%m/%y", "", ""}},
                                    {"mobile", {ValueType::kPhone, "", "", "+91"}},
                                    {"signup", {ValueType::kDateTime, "%d/%m/%Y %H:%M", "Asia/Kolkata", ""}},
                                }));
  EXPECT_EQ(source.empty, EmptyValues::kSkip);
  EXPECT_TRUE(source.constants.empty());
}

TEST(ConfigMapping, ReadsConstantsAndEmpty) {
  const Source source = OnlySource(
      "type: spool\npath: /s\nempty: clear\nconstants: { SourceCampaign: Diwali 2024, mx_Score: 10 }");
  EXPECT_EQ(source.empty, EmptyValues::kClear);
  EXPECT_EQ(source.constants,
            (std::map<std::string, std::string>{{"SourceCampaign", "Diwali 2024"}, {"mx_Score", "10"}}));
}

TEST(ConfigMapping, EachProblemIsReportedAtItsPlace) {
  EXPECT_THAT(
      SourceErrors("type: spool\npath: /s\n"
                   "fields:\n"
                   "  a: { to: mx_A, type: money }\n"                              // 12
                   "  b: { to: mx_B, type: datetime, timezone: Asia/Atlantis }\n"  // 13
                   "  c: { to: mx_C, type: date, format: \"%d/%m/%Q\" }\n"         // 14
                   "  d: { to: mx_D, type: phone, country: \"91\" }\n"             // 15
                   "  e: { type: number }\n"                                       // 16
                   "  f: { to: mx_F, type: date, timezone: UTC }\n"                // 17
                   "  g: { to: mx_G, type: datetime, format: \"%H:%M\" }\n"        // 18
                   "  h: [mx_H]\n"                                                 // 19
                   "  i: { to: mx_I, colour: red }\n"),                            // 20
      ElementsAre(
          "12:28: fields.a.type: expected text, number, boolean, date, datetime or phone, got 'money'",
          "13:48: fields.b.timezone: unknown time zone 'Asia/Atlantis' (a name from the tz "
          "database, such as Asia/Kolkata or UTC), got 'Asia/Atlantis'",
          "14:42: fields.c.format: unknown directive '%Q' in format, got '%d/%m/%Q'",
          "15:44: fields.d.country: expected '+' and a country calling code, such as +91, got '91'",
          "16:7: missing required key 'to' in fields.e",
          "17:34: fields.f.timezone: only for type datetime, not date",
          "18:46: fields.g.format: format reads no year (%Y, %y), got '%H:%M'",
          "19:10: fields.h: expected an attribute name, drop, or a map with 'to', got a list",
          "20:22: unknown key 'colour' in fields.i"));
}

TEST(ConfigMapping, ConstantsMustHaveAValueAndEmptyAChoice) {
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nempty: never\nconstants: { Source: \"\" }"),
              ElementsAre("11:12: empty: expected skip or clear, got 'never'",
                          "12:26: constants.Source: must not be empty"));
}

TEST(ConfigMapping, UnknownTargetsAreWarnings) {
  EXPECT_THAT(
      SourceWarnings("type: spool\npath: /s\n"
                     "fields: { a: { to: Town, type: text } }\n"
                     "constants: { Campaign: x }"),
      ElementsAre("11:24: fields.a: 'Town' is neither a common LeadSquared attribute nor a custom one "
                  "(mx_...); it is sent as written",
                  "12:18: constants.Campaign: 'Campaign' is neither a common LeadSquared attribute nor "
                  "a custom one (mx_...); it is sent as written"));
}

TEST(ConfigMapping, APostgresSourceIsMappedAndWarnedOnlyThatEmptyClearHasNoNull) {
  const std::string postgres = "type: postgres\ndsn: host=db\nquery: SELECT 1\ncursor: c\n";
  EXPECT_THAT(SourceWarnings(postgres + "fields: { a: mx_A }"), ElementsAre());
  EXPECT_THAT(
      SourceWarnings(postgres + "fields: { a: drop }\nconstants: { Source: db }\nempty: clear"),
      ElementsAre(
          "15:5: empty: clear has no effect on a postgres source: NULL still leaves the attribute out"));
}

// The conversion keys are the loader's own, for the docs' drift test.
TEST(ConfigMapping, AConversionsKeysAreLoggedUnderItsPath) {
  const std::vector<std::string> keys =
      KeysLookedFor("sources: [{name: s, type: spool, path: /s, fields: {c: {to: X}}}]\n");
  for (const char* key : {"sources[0].fields.c.to", "sources[0].fields.c.type", "sources[0].fields.c.format",
                          "sources[0].fields.c.timezone", "sources[0].fields.c.country",
                          "sources[0].constants", "sources[0].empty"}) {
    EXPECT_NE(std::ranges::find(keys, key), keys.end()) << key;
  }
}

}  // namespace
}  // namespace leadsync::config
