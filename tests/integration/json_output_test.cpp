// The JSON the commands print on an operator's terminal: values that came
// from outside (file names, lead values) carry no control a terminal acts on,
// and still parse back to what was stored.
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>

#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

// DEL, C1 controls (CSI, OSC), a BEL to end the OSC, bidirectional
// overrides, isolates and marks, a line separator: as JSON escapes in the
// input, so the input file itself is plain ASCII.
constexpr const char* kEvilJson = R"(x\u009b31m\u009d0;t\u0007\u202egnp.exe\u2066\u200f\u061c\u2028\u007fy)";
const std::string kEvil = "x\u009b31m\u009d0;t\x07\u202egnp.exe\u2066\u200f\u061c\u2028\x7fy";
const std::string kEvilName = "in\u009b\u202e.jsonl";

std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  }
  out += static_cast<char>(0x80 | (c & 0x3F));
  return out;
}

// The code points a terminal acts on that JSON lets through unescaped.
std::vector<char32_t> DisplayControls() {
  std::vector<char32_t> out{0x7F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029};
  for (char32_t c = 0x80; c <= 0x9F; ++c) out.push_back(c);
  for (char32_t c = 0x202A; c <= 0x202E; ++c) out.push_back(c);
  for (char32_t c = 0x2066; c <= 0x2069; ++c) out.push_back(c);
  return out;
}

// Each display control `text` holds raw, as "U+XXXX".
std::vector<std::string> RawControls(const std::string& text) {
  std::vector<std::string> found;
  for (char32_t c : DisplayControls()) {
    if (text.find(Utf8(c)) == std::string::npos) continue;
    std::array<char, 16> name{};
    std::snprintf(name.data(), name.size(), "U+%04X", static_cast<unsigned>(c));
    found.emplace_back(name.data());
  }
  return found;
}

// The output of `leadsync ARGS`, checked for raw controls, as JSON.
json::value JsonOutput(const std::vector<std::string>& args, const std::string& input = "") {
  const RunResult r = Leadsync(args, input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(RawControls(r.out), std::vector<std::string>{}) << "in the output of " << args[0];
  return json::parse(r.out);
}

// The Value of `attribute` in an array of API pairs.
std::string ValueOf(const json::value& pairs, std::string_view attribute) {
  for (const json::value& pair : pairs.as_array()) {
    if (pair.at("Attribute").as_string() == attribute) return std::string(pair.at("Value").as_string());
  }
  return "<no " + std::string(attribute) + ">";
}

TEST(JsonOutput, ControlsFromInputsAreEscapedAndParseBackToTheirValues) {
  ASSERT_EQ(RawControls(kEvil).size(), 8u) << "the test input holds what it means to";
  TempDir dir;
  SandboxProcess sandbox;
  const auto config = WriteDaemonConfig(dir, sandbox.url()).string();
  const std::string delivered =
      R"({"EmailAddress":"a@x.com","FirstName":")" + std::string(kEvilJson) + "\"}\n";
  DropFile(dir / "spool", kEvilName, delivered + R"({"FirstName":")" + kEvilJson + "\"}\n");
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Leadsync({"history", "-c", config, "a@x.com", "--json"}).out.starts_with("[{");
      },
      seconds(30)))
      << daemon->Stderr();
  daemon->Signal(SIGTERM);
  ASSERT_EQ(daemon->Wait(seconds(30)), 0) << daemon->Stderr();

  const json::value stats = JsonOutput({"queue", "-c", config, "stats", "--json"});
  EXPECT_TRUE(
      std::string(stats.at("sources").at("spool").at("checkpoint").as_string()).starts_with(kEvilName));
  const json::value dead = JsonOutput({"dlq", "-c", config, "list", "--json"});
  ASSERT_EQ(dead.as_array().size(), 1u) << dead;
  EXPECT_TRUE(std::string(dead.at(0).at("message").as_string()).starts_with(kEvilName + ":2: ")) << dead;
  EXPECT_EQ(ValueOf(dead.at(0).at("record"), "FirstName"), kEvil);
  const json::value history = JsonOutput({"history", "-c", config, "a@x.com", "--json"});
  EXPECT_EQ(ValueOf(history.at(0).at("attributes"), "FirstName"), kEvil);
  const json::value bodies =
      JsonOutput({"enqueue", "-c", config, "--dry-run", "--format", "jsonl", "-"}, delivered);
  EXPECT_EQ(ValueOf(bodies.at(0), "FirstName"), kEvil);
}

}  // namespace
}  // namespace leadsync::testing
