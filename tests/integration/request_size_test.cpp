// leadsquared.max_request_bytes through the real binary and the sandbox,
// which reports the body size of every bulk call it received: a batch whose
// records together pass the cap goes out in several calls each under it,
// and a record over it alone is dead-lettered at ingest without a call.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <numeric>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr std::size_t kCap = 20'000;

// `count` leads with a 3000-byte note each (about 3.1 KB as a record), and
// after them one whose note alone passes kCap.
std::string Csv(int count) {
  std::string csv = "EmailAddress,mx_Notes\n";
  for (int i = 0; i < count; ++i)
    csv += "n" + std::to_string(i) + "@example.com," + std::string(3000, 'n') + "\n";
  return csv + "huge@example.com," + std::string(kCap, 'h') + "\n";
}

TEST(RequestSize, BatchesAreCutUnderTheCapAndARecordOverItAloneCostsNoCall) {
  TempDir dir;
  SandboxProcess sandbox;
  const std::uint16_t metrics = FreePort();
  const auto config = WriteDaemonConfig(
      dir, sandbox.url(), "  max_request_bytes: " + std::to_string(kCap) + "\n  linger: 50ms\n", metrics);
  constexpr int kLeads = 20;  // about 62 KB in all: four calls at least
  DropFile(dir / "spool", "notes.csv", Csv(kLeads));
  auto daemon = StartDaemon(config);
  ASSERT_TRUE(WaitFor(
      [&] {
        const QueueView q = QueueStats(config);
        return q.pending == 0 && q.in_flight == 0 && SandboxLeads(sandbox.port()).size() == kLeads;
      },
      seconds(30)))
      << daemon->Stderr();

  const std::vector<std::int64_t> bytes = SandboxNumbers(sandbox.port(), "bytes_per_call");
  const std::vector<std::int64_t> records = SandboxNumbers(sandbox.port(), "records_per_call");
  ASSERT_GE(bytes.size(), 4U);
  for (const std::int64_t b : bytes) EXPECT_LE(b, static_cast<std::int64_t>(kCap));
  EXPECT_GT(*std::max_element(bytes.begin(), bytes.end()), static_cast<std::int64_t>(kCap) * 3 / 4)
      << "batches are filled up to the cap, not cut short";
  EXPECT_EQ(std::accumulate(records.begin(), records.end(), std::int64_t{0}), kLeads) << "each lead once";
  EXPECT_EQ(SandboxNumber(sandbox.port(), "status:200"), static_cast<std::int64_t>(bytes.size()));
  EXPECT_FALSE(SandboxLeads(sandbox.port()).contains("huge@example.com"));

  const json::array dead =
      json::parse(Leadsync({"dlq", "-c", config.string(), "list", "--json"}).out).as_array();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].at("reason").as_string(), "rejected");
  const std::string message(dead[0].at("message").as_string());
  EXPECT_TRUE(message.starts_with("notes.csv:" + std::to_string(kLeads + 2) + ": ")) << message;
  EXPECT_NE(message.find("leadsquared.max_request_bytes"), std::string::npos) << message;
  EXPECT_EQ(MetricValue(metrics, "leadsync_records_rejected_total", R"(reason="too_large")"), 1);

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
