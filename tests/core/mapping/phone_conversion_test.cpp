#include "core/mapping/phone_conversion.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadsync {
namespace {

struct Case {
  std::string_view text;
  std::string_view country;
  std::string_view expected;  // empty: refused
};

void ExpectPhones(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const Converted converted = ConvertPhone(c.text, c.country);
    if (c.expected.empty()) {
      EXPECT_FALSE(converted.ok()) << "'" << c.text << "' (" << c.country << ") gave " << converted.value;
    } else {
      EXPECT_EQ(converted.value, c.expected)
          << "'" << c.text << "' (" << c.country << "): " << converted.problem;
    }
  }
}

TEST(ConvertPhone, WritesLeadSquaredsFormFromTheUsualSpellings) {
  ExpectPhones({
      {"+91 98765 43210", "+91", "+91-9876543210"},
      {"+91-98765-43210", "", "+91-9876543210"},
      {"+919876543210", "", "+91-9876543210"},
      {"98765 43210", "+91", "+91-9876543210"},
      {"9876543210", "+91", "+91-9876543210"},
      {"098765 43210", "+91", "+91-9876543210"},  // the national trunk prefix
      {"919876543210", "+91", "+91-9876543210"},  // the country code without '+'
      {"0091 98765 43210", "+91", "+91-9876543210"},
      {"(022) 1234-5678", "+91", "+91-2212345678"},
      {"+1 (650) 253-0000", "+91", "+1-6502530000"},
      {"(650) 253-0000", "+1", "+1-6502530000"},
      {"+44 20 7946 0958", "", "+44-2079460958"},
      {"020 7946 0958", "+44", "+44-2079460958"},
      {"+39 06 1234 5678", "", "+39-0612345678"},  // Italy keeps its leading zero
  });
}

TEST(ConvertPhone, ReadsTheInternationalPrefixOfTheDefaultCountry) {
  ExpectPhones({
      {"0098 21 1234 5678", "+91", "+98-2112345678"},  // 00 dials out of India
      {"00 44 20 7946 0958", "+91", "+44-2079460958"},
      {"011 44 20 7946 0958", "+1", "+44-2079460958"},  // 011 dials out of the US
  });
}

TEST(ConvertPhone, DropsAnExtension) {
  ExpectPhones({
      {"98765 43210 ext. 12", "+91", "+91-9876543210"},
      {"+1 650-253-0000 x123", "", "+1-6502530000"},
      {"(022) 1234-5678 extn 9", "+91", "+91-2212345678"},
  });
}

TEST(ConvertPhone, RefusesWhatIsNoPhoneNumber) {
  ExpectPhones({
      {"abc", "+91", ""},
      {"12", "+91", ""},
      {"98765", "+91", ""},
      {"9876543210", "", ""},  // no country code, and no default
      {"+999 1234 5678", "", ""},
      {"98765432109876543210", "+91", ""},
      {"+", "+91", ""},
  });
  EXPECT_EQ(ConvertPhone("9876543210", "").problem,
            "a phone number without a country code (+CC), and the mapping sets no country");
  EXPECT_EQ(ConvertPhone("not a phone", "+91").problem, "not a phone number");
  EXPECT_EQ(ConvertPhone("98765", "+91").problem, "of a length no +91 number has");
}

}  // namespace
}  // namespace leadsync
