#include "core/mapping/conversion.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadsync {
namespace {

struct Case {
  std::string_view text;
  std::string_view expected;  // empty: refused
};

void ExpectConversions(Converted (*convert)(std::string_view), const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const Converted converted = convert(c.text);
    if (c.expected.empty()) {
      EXPECT_FALSE(converted.ok()) << "'" << c.text << "' was converted to '" << converted.value << "'";
    } else {
      EXPECT_TRUE(converted.ok()) << "'" << c.text << "': " << converted.problem;
      EXPECT_EQ(converted.value, c.expected) << "'" << c.text << "'";
    }
  }
}

TEST(ConvertNumber, WritesPlainDecimals) {
  ExpectConversions(ConvertNumber, {
                                       {"42", "42"},
                                       {" 42 ", "42"},
                                       {"+7", "7"},
                                       {"-12.50", "-12.50"},
                                       {"007", "7"},
                                       {"0.5", "0.5"},
                                       {".5", "0.5"},
                                       {"5.", "5"},
                                       {"-0", "0"},
                                       {"-0.00", "0.00"},
                                       {"1e3", "1000"},
                                       {"1.5E3", "1500"},
                                       {"1.25e1", "12.5"},
                                       {"125e-2", "1.25"},
                                       {"5e-3", "0.005"},
                                       {"1e+2", "100"},
                                       {"12345678901234567890123", "12345678901234567890123"},
                                   });
}

TEST(ConvertNumber, ReadsGroupingCommasButNotADecimalComma) {
  ExpectConversions(ConvertNumber, {
                                       {"1,234.50", "1234.50"},
                                       {"1,234", "1234"},
                                       {"12,345,678", "12345678"},
                                       {"-1,000", "-1000"},
                                       {"12,34,567.25", "1234567.25"},  // Indian grouping
                                       {"1,23,45,678", "12345678"},
                                       {"1,5", ""},  // a decimal comma: not guessed
                                       {"1,50", ""},
                                       {"1.234,5", ""},
                                       {"1,2345", ""},
                                       {"1234,567", ""},
                                       {",123", ""},
                                       {"123,", ""},
                                       {"1,,234", ""},
                                       {"1,234,56,789", ""},
                                       {"1,234.5,6", ""},
                                   });
}

TEST(ConvertNumber, RefusesWhatIsNoNumber) {
  ExpectConversions(ConvertNumber,
                    {
                        {"abc", ""},      {"12abc", ""},   {"1.2.3", ""}, {"--1", ""},  {"+-1", ""},
                        {"-", ""},        {".", ""},       {"e5", ""},    {"1e", ""},   {"1e5.5", ""},
                        {"1 234", ""},    {"$5", ""},      {"5%", ""},    {"0x1F", ""}, {"NaN", ""},
                        {"Infinity", ""}, {"1e101", ""},  // would be written out digit by digit
                        {"1e-101", ""},   {"1e99999", ""},
                    });
  EXPECT_EQ(ConvertNumber("abc").problem, "not a number");
}

TEST(ConvertBoolean, ReadsTheUsualSpellingsOfYesAndNo) {
  ExpectConversions(
      ConvertBoolean,
      {
          {"true", "true"},  {"TRUE", "true"},   {"True", "true"}, {"yes", "true"}, {"Yes", "true"},
          {"YES", "true"},   {"y", "true"},      {"Y", "true"},    {"t", "true"},   {"on", "true"},
          {"1", "true"},     {"1.0", "true"},    {"1.00", "true"}, {"01", "true"},  {"1e0", "true"},
          {" Yes ", "true"}, {"false", "false"}, {"No", "false"},  {"NO", "false"}, {"n", "false"},
          {"N", "false"},    {"F", "false"},     {"off", "false"}, {"0", "false"},  {"0.0", "false"},
          {"-0", "false"},   {"0e3", "false"},
      });
}

TEST(ConvertBoolean, RefusesAnythingElse) {
  ExpectConversions(ConvertBoolean, {
                                        {"2", ""},
                                        {"-1", ""},
                                        {"1.5", ""},
                                        {"0.1", ""},
                                        {"yess", ""},
                                        {"oui", ""},
                                        {"x", ""},
                                        {"true false", ""},
                                    });
  EXPECT_NE(ConvertBoolean("maybe").problem.find("not a yes/no value"), std::string::npos);
}

TEST(ValueTypeName, NamesEachTypeAsTheConfigurationDoes) {
  EXPECT_EQ(ValueTypeName(ValueType::kText), "text");
  EXPECT_EQ(ValueTypeName(ValueType::kNumber), "number");
  EXPECT_EQ(ValueTypeName(ValueType::kBoolean), "boolean");
  EXPECT_EQ(ValueTypeName(ValueType::kDate), "date");
  EXPECT_EQ(ValueTypeName(ValueType::kDateTime), "datetime");
  EXPECT_EQ(ValueTypeName(ValueType::kPhone), "phone");
}

}  // namespace
}  // namespace leadsync
