#include "config/interpolation.hpp"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.hpp"

namespace leadsync::config {
namespace {

using test_docs::FakeEnv;

EnvLookup TestEnv() { return FakeEnv({{"HOST", "api.leadsquared.com"}, {"PORT", "443"}, {"EMPTY", ""}}); }

TEST(Interpolate, LeavesTextWithoutReferencesAlone) {
  EXPECT_EQ(Interpolate("plain $1 and $HOST", TestEnv()).text, "plain $1 and $HOST");
  EXPECT_EQ(Interpolate("", TestEnv()).text, "");
}

TEST(Interpolate, ReplacesEveryReference) {
  EXPECT_EQ(Interpolate("https://${HOST}:${PORT}", TestEnv()).text, "https://api.leadsquared.com:443");
  EXPECT_EQ(Interpolate("${PORT}${PORT}", TestEnv()).text, "443443");
  EXPECT_EQ(Interpolate("a${EMPTY}b", TestEnv()).text, "ab");
}

TEST(Interpolate, ReportsAnUnsetVariableByName) {
  const Interpolated result = Interpolate("x ${MISSING} y", TestEnv());
  EXPECT_FALSE(result.text.has_value());
  EXPECT_EQ(result.error, "environment variable 'MISSING' is not set");
}

TEST(Interpolate, ReportsMalformedReferencesWithoutQuotingTheText) {
  const Interpolated unterminated = Interpolate("s3cr3t${HOST", TestEnv());
  EXPECT_EQ(unterminated.error, "'${' without a closing '}'");
  const Interpolated bad_name = Interpolate("s3cr3t${not-a-name}", TestEnv());
  EXPECT_EQ(bad_name.error, "'${...}' must hold a variable name (letters, digits, '_')");
  EXPECT_EQ(Interpolate("${}", TestEnv()).error, bad_name.error);
  EXPECT_EQ(Interpolate("${1X}", TestEnv()).error, bad_name.error);
}

}  // namespace
}  // namespace leadsync::config
