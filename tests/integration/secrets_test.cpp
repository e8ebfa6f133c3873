// Neither key ever appears in a log line, an error, a metric or command output.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/http.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kAccess = "AK-5e3c7f1d-9a4b-access";
constexpr const char* kSecret = "SK-91b2c4d8-e6f0-secret";

void ExpectNoSecret(const std::string& where, const std::string& text) {
  EXPECT_EQ(text.find(kAccess), std::string::npos) << where << ":\n" << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << where << ":\n" << text;
  // Nor a recognisable part of one (a truncated or URL-encoded key).
  EXPECT_EQ(text.find("5e3c7f1d"), std::string::npos) << where;
  EXPECT_EQ(text.find("91b2c4d8"), std::string::npos) << where;
}

std::filesystem::path Config(const TempDir& dir, const std::string& api_host, const std::string& auth,
                             const std::string& format, const std::string& secret, std::uint16_t metrics) {
  const auto path = WriteDaemonConfig(dir, api_host, "  auth: " + auth + "\n  linger: 0s\n", metrics);
  std::string yaml = ReadFile(path);
  yaml.replace(yaml.find("sandbox-access-key"), 18, kAccess);
  yaml.replace(yaml.find("sandbox-secret-key"), 18, secret);
  yaml.replace(yaml.find("level: debug"), 12, "level: trace\n  format: " + format);
  WriteFile(path, yaml);
  return path;
}

// Runs the daemon through deliveries, refusals and a reload; returns all it printed.
std::string Exercise(const std::string& auth, const std::string& format, bool right_keys) {
  TempDir dir;
  SandboxProcess sandbox({"--access-key", kAccess, "--secret-key", kSecret, "--log-level", "trace"});
  const std::uint16_t metrics = FreePort();
  const auto config = Config(dir, sandbox.url(), auth, format, right_keys ? kSecret : "SK-wrong", metrics);
  auto daemon = StartDaemon(config);
  DropFile(dir / "spool", "in.jsonl", "{\"EmailAddress\":\"a@x.com\"}\n{\"FirstName\":\"no key\"}\n");
  const bool done = WaitFor(
      [&] {
        return right_keys ? SandboxNumber(sandbox.port(), "status:200") >= 1
                          : SandboxNumber(sandbox.port(), "status:401") >= 1;
      },
      seconds(20));
  EXPECT_TRUE(done) << daemon->Stderr();
  std::string out = HttpRequest(metrics, "GET", "/metrics").body;
  out += HttpRequest(metrics, "GET", "/readyz").body;
  daemon->Signal(SIGHUP);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0);
  out += daemon->Stderr() + sandbox.process().Stderr();
  EXPECT_NE(out.find("leadsync_requests_total"), std::string::npos) << "the scrape was not captured";
  EXPECT_NE(out.find("running"), std::string::npos) << "the daemon's log was not captured";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"check", "-c", config.string()},
           {"check", "-c", config.string(), "--online"},
           {"queue", "-c", config.string(), "stats", "--json"},
           {"dlq", "-c", config.string(), "list", "--json"},
           {"history", "-c", config.string(), "a@x.com", "--json"},
           {"enqueue", "-c", config.string(), "--dry-run", (dir / "spool" / "done" / "in.jsonl").string()}}) {
    RunResult r = Leadsync(args);
    out += r.out + r.err;
  }
  return out;
}

TEST(Secrets, NeverPrintedWithHeaderAuthInTextLogs) {
  ExpectNoSecret("headers/text", Exercise("headers", "text", true));
}

TEST(Secrets, NeverPrintedWithQueryAuthInJsonLogs) {
  ExpectNoSecret("query/json", Exercise("query", "json", true));
}

TEST(Secrets, NeverPrintedWhenTheKeysAreRefused) {
  ExpectNoSecret("refused", Exercise("query", "text", false));
}

TEST(Secrets, NeverPrintedInConfigErrors) {
  TempDir dir;
  const auto config = Config(dir, "http://127.0.0.1:1", "headers", "text", kSecret, 0);
  std::string yaml = ReadFile(config);
  const std::string key = "access_key: " + std::string(kAccess);
  WriteFile(config, yaml.replace(yaml.find(key), key.size(), "access_key: [" + std::string(kAccess) + "]"));
  RunResult r = Leadsync({"check", "-c", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  ExpectNoSecret("check", r.out + r.err);
}

}  // namespace
}  // namespace leadsync::testing
