#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "config/loader.hpp"

namespace leadsync::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDuration, ReadsEveryUnit) {
  EXPECT_EQ(ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(ParseDuration("5s"), seconds(5));
  EXPECT_EQ(ParseDuration("2m"), minutes(2));
  EXPECT_EQ(ParseDuration("24h"), hours(24));
  EXPECT_EQ(ParseDuration("14d"), hours(14 * 24));
}

TEST(ParseDuration, ReadsZero) {
  EXPECT_EQ(ParseDuration("0s"), milliseconds(0));
  EXPECT_EQ(ParseDuration("0ms"), milliseconds(0));
}

TEST(ParseDuration, KeepsTheSignSoCallersCanRejectIt) { EXPECT_EQ(ParseDuration("-5s"), seconds(-5)); }

TEST(ParseDuration, RejectsABareNumber) {
  EXPECT_EQ(ParseDuration("5"), std::nullopt);
  EXPECT_EQ(ParseDuration("0"), std::nullopt);
}

TEST(ParseDuration, RejectsMalformedText) {
  for (const char* text :
       {"", "s", "ms", "5 s", " 5s", "5s ", "1.5s", "5sec", "5S", "+5s", "5y", "s5", "5ms5"}) {
    EXPECT_EQ(ParseDuration(text), std::nullopt) << text;
  }
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_EQ(ParseDuration("99999999999999999999ms"), std::nullopt);
  EXPECT_EQ(ParseDuration("999999999999999d"), std::nullopt);
}

TEST(ParseByteSize, ReadsBareBytesAndUnits) {
  EXPECT_EQ(ParseByteSize("512"), 512u);
  EXPECT_EQ(ParseByteSize("10B"), 10u);
  EXPECT_EQ(ParseByteSize("64KiB"), 64u * 1024);
  EXPECT_EQ(ParseByteSize("1MiB"), 1024u * 1024);
  EXPECT_EQ(ParseByteSize("0"), 0u);
}

TEST(ParseByteSize, RejectsOtherUnitsAndMalformedText) {
  for (const char* text : {"", "B", "1MB", "1kb", "1KB", "1 MiB", "-1", "1.5MiB", "1GiB", "MiB1"}) {
    EXPECT_EQ(ParseByteSize(text), std::nullopt) << text;
  }
}

TEST(ParseByteSize, RejectsOverflow) {
  EXPECT_EQ(ParseByteSize("99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseByteSize("17592186044416MiB"), std::nullopt);  // 2^44 MiB = 2^64 bytes
}

}  // namespace
}  // namespace leadsync::config
