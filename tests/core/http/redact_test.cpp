#include "core/http/redact.hpp"

#include <gtest/gtest.h>

#include <string>

namespace leadsync {
namespace {

std::string Redacted(std::string text, std::string_view secret) {
  RedactSecret(text, secret);
  return text;
}

TEST(RedactSecret, MasksEveryOccurrence) {
  EXPECT_EQ(Redacted("GET /x?accessKey=AK123&secretKey=AK123AK123", "AK123"),
            "GET /x?accessKey=[redacted]&secretKey=[redacted][redacted]");
}

TEST(RedactSecret, AnEmptySecretMasksNothing) { EXPECT_EQ(Redacted("AK123", ""), "AK123"); }

TEST(RedactSecret, MasksPercentEncodingInEitherCase) {
  const std::string secret = "sk+Key/2=";
  EXPECT_EQ(Redacted("a sk%2BKey%2F2%3D b", secret), "a [redacted] b");
  EXPECT_EQ(Redacted("a sk%2bKey%2f2%3d b", secret), "a [redacted] b");
  EXPECT_EQ(Redacted("a %73%6B%2bKey%2F2= b", secret), "a [redacted] b") << "every byte may be encoded";
}

TEST(RedactSecret, MasksPartlyDecodedForms) {
  EXPECT_EQ(Redacted("sk+Key%2F2=", "sk+Key/2="), "[redacted]");
  EXPECT_EQ(Redacted("sk%2BKey/2%3d", "sk+Key/2="), "[redacted]");
}

TEST(RedactSecret, MasksAPlusThatStandsForASpace) {
  EXPECT_EQ(Redacted("key=my+secret+key&x", "my secret key"), "key=[redacted]&x");
  EXPECT_EQ(Redacted("key=my%20secret+key", "my secret key"), "key=[redacted]");
}

TEST(RedactSecret, LeavesTextThatOnlyResemblesTheSecret) {
  EXPECT_EQ(Redacted("sk%2BKey%2F2", "sk+Key/2="), "sk%2BKey%2F2") << "one byte short";
  EXPECT_EQ(Redacted("sk%2GKey/2=", "sk+Key/2="), "sk%2GKey/2=") << "not hex";
  EXPECT_EQ(Redacted("trailing %", "x"), "trailing %");
  EXPECT_EQ(Redacted("%2", "x"), "%2");
}

TEST(RedactSecret, ALongRunOfNearMissesIsLeftAsIs) {
  // Each start fails within the secret's length (the cost this bounds is
  // not timed here).
  const std::string text(1 << 20, 'a');
  EXPECT_EQ(Redacted(text, "aaaab"), text);
}

}  // namespace
}  // namespace leadsync
