#include "config/interpolation.hpp"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.hpp"

namespace leadsync::config {
namespace {

using test_docs::FakeEnv;

const EnvLookup kEnv = FakeEnv({{"HOST", "api.leadsquared.com"}, {"PORT", "443"}, {"EMPTY", ""}});

TEST(Interpolate, LeavesTextWithoutReferencesAlone) {
  EXPECT_EQ(Interpolate("plain $1 and $HOST", kEnv).text, "plain $1 and $HOST");
  EXPECT_EQ(Interpolate("", kEnv).text, "");
}

TEST(Interpolate, ReplacesEveryReference) {
  EXPECT_EQ(Interpolate("https://${HOST}:${PORT}", kEnv).text, "https://api.leadsquared.com:443");
  EXPECT_EQ(Interpolate("${PORT}${PORT}", kEnv).text, "443443");
  EXPECT_EQ(Interpolate("a${EMPTY}b", kEnv).text, "ab");
}

TEST(Interpolate, ReportsAnUnsetVariableByName) {
  const Interpolated result = Interpolate("x ${MISSING} y", kEnv);
  EXPECT_FALSE(result.text.has_value());
  EXPECT_EQ(result.error, "environment variable 'MISSING' is not set");
}

TEST(Interpolate, ReportsMalformedReferencesWithoutQuotingTheText) {
  const Interpolated unterminated = Interpolate("s3cr3t${HOST", kEnv);
  EXPECT_EQ(unterminated.error, "'${' without a closing '}'");
  const Interpolated bad_name = Interpolate("s3cr3t${not-a-name}", kEnv);
  EXPECT_EQ(bad_name.error, "'${...}' must hold a variable name (letters, digits, '_')");
  EXPECT_EQ(Interpolate("${}", kEnv).error, bad_name.error);
  EXPECT_EQ(Interpolate("${1X}", kEnv).error, bad_name.error);
}

}  // namespace
}  // namespace leadsync::config
