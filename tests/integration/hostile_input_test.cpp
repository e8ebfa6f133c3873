// Hostile spool input through the real binary: every file is rejected or
// ingested as documented, never a crash or a hang; the dead-letter store
// names file and line; memory stays bounded; good records around the bad
// ones arrive.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "tests/support/process.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define LEADSYNC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEADSYNC_UNDER_ASAN 1
#endif
#endif

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// Writes `name` as a dot-file first and renames it into place.
void Drop(const TempDir& dir, const std::string& name, const std::string& text) {
  WriteFile(dir / "spool" / ".writing", text);
  fs::rename(dir / "spool" / ".writing", dir / "spool" / name);
}

std::string Lead(const std::string& email) { return R"({"EmailAddress":")" + email + "\"}\n"; }

// The daemon's peak resident memory so far, in KiB.
[[maybe_unused]] long PeakRssKib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(HostileInput, EveryKindOfBadFileIsRejectedWithItsLineAndTheGoodRecordsArrive) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  fs::create_directories(dir / "spool");
  const auto config = WriteSourcesConfig(
      dir, {.api_host = sandbox.url(),
            .sources = "  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() + "\n",
            .metrics_port = metrics});
  auto daemon = StartDaemon(config);

  // A 100 MB line between two good ones: skipped as too long, never held whole.
  {
    std::ofstream out(dir / "spool" / ".long");
    out << Lead("before-long@example.com") << R"({"EmailAddress":"x@example.com","Notes":")";
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) out << block;
    out << "\"}\n" << Lead("after-long@example.com");
  }
  fs::rename(dir / "spool" / ".long", dir / "spool" / "a-long.jsonl");
  Drop(dir, "b-utf8.jsonl", Lead("ok-utf8@example.com") + "{\"EmailAddress\":\"bad\xff\xfe@example.com\"}\n");
  Drop(dir, "c-deep.jsonl",
       std::string(100'000, '[') + std::string(100'000, ']') + "\n" + Lead("ok-deep@example.com"));
  Drop(dir, "d-columns.csv",
       "EmailAddress,FirstName\nok-csv@example.com,Ann\nshort-row@example.com\nx@y.com,a,b,c\n");
  Drop(dir, "e-binary.jsonl",
       std::string("\x00\x01\x02\x7f\x80garbage\x00\n", 14) + Lead("ok-binary@example.com"));
  Drop(dir, "f-empty.csv", "");
  Drop(dir, "g-headers.csv", "EmailAddress,FirstName,FirstName\ndup@example.com,One,Two\n");

  const std::vector<std::string> good{"before-long@example.com", "after-long@example.com",
                                      "ok-utf8@example.com",     "ok-deep@example.com",
                                      "ok-csv@example.com",      "ok-binary@example.com"};
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir / "spool" / "done" / "g-headers.csv"); }, seconds(120)))
      << daemon->Stderr();
  ASSERT_TRUE(WaitFor(
      [&] {
        try {
          return SandboxLeads(sandbox.port()).size() >= good.size();
        } catch (const std::exception&) {
          return false;
        }
      },
      seconds(60)))
      << daemon->Stderr();
  const auto leads = SandboxLeads(sandbox.port());
  for (const std::string& email : good) EXPECT_TRUE(leads.contains(email)) << email;
  EXPECT_FALSE(leads.contains("x@example.com")) << "a rejected record is not sent";
  EXPECT_FALSE(leads.contains("dup@example.com"))
      << "a file with duplicate columns is rejected at its header";

  for (const char* name : {"a-long.jsonl", "b-utf8.jsonl", "c-deep.jsonl", "d-columns.csv", "e-binary.jsonl",
                           "f-empty.csv", "g-headers.csv"}) {
    EXPECT_TRUE(fs::exists(dir / "spool" / "done" / name)) << name << " retired";
  }
  const std::string dead = Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out;
  for (const char* where : {"a-long.jsonl:2", "b-utf8.jsonl:2", "c-deep.jsonl:1", "d-columns.csv:3",
                            "d-columns.csv:4", "e-binary.jsonl:1"}) {
    EXPECT_NE(dead.find(where), std::string::npos) << where << " in " << dead.substr(0, 2000);
  }
#ifndef LEADSYNC_UNDER_ASAN  // its shadow memory and quarantine say nothing of the daemon's own
  // The 100 MB line is never held whole (the cap is 1 MiB a record).
  EXPECT_LT(PeakRssKib(daemon->pid()), 100 * 1024) << "peak RSS in KiB";
#endif
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(30)), 0) << daemon->Stderr();
}

// The longer run (docs/testing.md): a 1 GB spool file, four million changes
// to 100 000 leads with a broken line every millionth. Ingested whole in
// bounded memory; each broken line is rejected by file and line. Nothing
// listens at the API, so the queue keeps what was ingested.
TEST(HostileInput, AGigabyteFileIsIngestedInBoundedMemory) {
  if (std::getenv("LEADSYNC_LONG_TESTS") == nullptr) {
    GTEST_SKIP() << "the longer run: set LEADSYNC_LONG_TESTS=1 (docs/testing.md)";
  }
  TempDir dir;
  const std::uint16_t metrics = FreePort();
  fs::create_directories(dir / "spool");
  const auto config = WriteSourcesConfig(
      dir, {.sources = "  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() + "\n",
            .metrics_port = metrics});
  constexpr std::uint64_t kBytes = 1'000'000'000;
  std::uint64_t lines = 0;
  std::vector<std::uint64_t> broken;
  {
    std::ofstream out(dir / "spool" / ".big", std::ios::binary);
    const std::string padding(180, 'p');
    std::uint64_t written = 0;
    while (written < kBytes) {
      ++lines;
      std::string line = lines % 1'000'000 == 0
                             ? std::string("{\"EmailAddress\": broken\n")
                             : R"({"EmailAddress":"big)" + std::to_string(lines % 100'000) +
                                   R"(@example.com","mx_Line":")" + std::to_string(lines) + R"(","Notes":")" +
                                   padding + "\"}\n";
      if (lines % 1'000'000 == 0) broken.push_back(lines);
      out << line;
      written += line.size();
    }
  }
  fs::rename(dir / "spool" / ".big", dir / "spool" / "big.jsonl");
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir / "spool" / "done" / "big.jsonl"); }, seconds(3600)))
      << daemon->Stderr();
  const auto good = static_cast<double>(lines - broken.size());
  EXPECT_EQ(MetricValue(metrics, "leadsync_records_ingested_total", "source=\"spool\""), good);
  EXPECT_EQ(MetricValue(metrics, "leadsync_records_rejected_total", "source=\"spool\""),
            static_cast<double>(broken.size()));
  const std::string dead = Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out;
  for (std::uint64_t line : broken) {
    EXPECT_NE(dead.find("big.jsonl:" + std::to_string(line)), std::string::npos) << line;
  }
  const long peak = PeakRssKib(daemon->pid());
  std::printf("1 GB file: %llu lines, peak RSS %ld KiB\n", static_cast<unsigned long long>(lines), peak);
#ifndef LEADSYNC_UNDER_ASAN
  EXPECT_LT(peak, 100 * 1024) << "peak RSS in KiB";
#endif
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(30)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
