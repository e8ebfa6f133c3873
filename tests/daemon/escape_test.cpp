#include "daemon/escape.hpp"

#include <gtest/gtest.h>

namespace leadsync::daemon {
namespace {

TEST(EscapeForDisplay, LeavesPrintableTextAlone) {
  EXPECT_EQ(EscapeForDisplay("signups/a b.csv:3: no key"), "signups/a b.csv:3: no key");
  EXPECT_EQ(EscapeForDisplay(R"({"ExceptionMessage":"a \"b\" c\\d"})"),
            R"({"ExceptionMessage":"a \"b\" c\\d"})");
  EXPECT_EQ(EscapeForDisplay("Zoë Ümit 東京 🙂"), "Zoë Ümit 東京 🙂");
}

TEST(EscapeForDisplay, ControlCharactersCannotBreakOrColourALine) {
  EXPECT_EQ(EscapeForDisplay("a\nb\rc\td"), R"(a\nb\rc\td)");
  EXPECT_EQ(EscapeForDisplay("\x1b[31mred\x1b[0m"), R"(\x1b[31mred\x1b[0m)");
  EXPECT_EQ(EscapeForDisplay(std::string("nul\0del\x7f", 8)), R"(nul\x00del\x7f)");
}

TEST(EscapeForDisplay, BytesThatAreNotUtf8BecomeHex) {
  EXPECT_EQ(EscapeForDisplay("bad\xff.csv"), R"(bad\xff.csv)");
  EXPECT_EQ(EscapeForDisplay("cut \xe6\x9d"), R"(cut \xe6\x9d)");                // truncated sequence
  EXPECT_EQ(EscapeForDisplay("over\xc0\xaf"), R"(over\xc0\xaf)");                // overlong '/'
  EXPECT_EQ(EscapeForDisplay("sur\xed\xa0\x80"), R"(sur\xed\xa0\x80)");          // a UTF-16 surrogate
  EXPECT_EQ(EscapeForDisplay("big\xf4\x90\x80\x80"), R"(big\xf4\x90\x80\x80)");  // above U+10FFFF
}

TEST(EscapeForDisplay, LineSeparatorsBidiOverridesAndC1ControlsAreNamed) {
  EXPECT_EQ(EscapeForDisplay("a\u2028b\u2029c"), R"(a\u2028b\u2029c)");
  EXPECT_EQ(EscapeForDisplay("evil\u202Efdp.exe"), R"(evil\u202efdp.exe)");
  EXPECT_EQ(EscapeForDisplay("csi\u009b31m"), R"(csi\u009b31m)");
}

TEST(RepairUtf8, KeepsControlCharactersForTheJsonEncoder) {
  EXPECT_EQ(RepairUtf8("a\nb\u2028"), "a\nb\u2028");
  EXPECT_EQ(RepairUtf8("bad\xff"), R"(bad\xff)");
}

TEST(EscapeJsonForDisplay, WhatTheEncoderLeavesRawBecomesJsonEscapes) {
  EXPECT_EQ(EscapeJsonForDisplay(R"({"a":"b\n","c":[1,2.5,null]})"), R"({"a":"b\n","c":[1,2.5,null]})");
  EXPECT_EQ(EscapeJsonForDisplay("[\"csi\u009b31m osc\u009d0 del\x7f\"]"),
            R"(["csi\u009b31m osc\u009d0 del\u007f"])");
  EXPECT_EQ(EscapeJsonForDisplay("\"\u202e\u2066\u2069\u200e\u200f\u061c\u2028\""),
            R"("\u202e\u2066\u2069\u200e\u200f\u061c\u2028")");
  EXPECT_EQ(EscapeJsonForDisplay("\"Zoë 東京 🙂\""), "\"Zoë 東京 🙂\"");
}

TEST(EscapeJsonForDisplay, LeavesWhitespaceBetweenTokensAlone) {
  EXPECT_EQ(EscapeJsonForDisplay("[\n\t\"\u0085\"\r\n]"), "[\n\t\"\\u0085\"\r\n]");
}

TEST(EscapeJsonForDisplay, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  EXPECT_EQ(EscapeJsonForDisplay("\"bad\xff\x9b\""), R"("bad\ufffd\ufffd")");
}

}  // namespace
}  // namespace leadsync::daemon
