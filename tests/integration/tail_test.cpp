// `leadsync run` following a file into `leadsync sandbox`, killed with SIGKILL
// at several points (mid-delivery, right after ingest, around a rotation,
// around a copytruncate): every line reaches LeadSquared exactly once
// (ingested counts each line once) and every lead ends with its last value.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr int kLeads = 20;

// One line per lead, each setting mx_V to "PHASE-N".
std::string Phase(int phase) {
  std::string text;
  for (int n = 0; n < kLeads; ++n) {
    text += R"({"EmailAddress":"u)" + std::to_string(n) + R"(@example.com","mx_V":")" +
            std::to_string(phase) + "-" + std::to_string(n) + "\"}\n";
  }
  return text;
}

void Append(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
}

class TailDelivery : public ::testing::Test {
 protected:
  TailDelivery() {
    fs::create_directories(dir_ / "logs");
    config_ = WriteSourcesConfig(
        dir_, {.api_host = sandbox_.url(),
               .sources = "  - name: events\n    type: tail\n    path: " + log_.string() + "\n"});
  }
  std::int64_t Ingested() { return QueueStats(config_).ingested["events"]; }
  void Kill(std::unique_ptr<Process>& daemon) {
    daemon->Signal(SIGKILL);
    ASSERT_EQ(daemon->Wait(seconds(10)), 128 + SIGKILL);
    daemon.reset();
  }
  bool AllAt(int phase) {
    try {
      const auto leads = SandboxLeads(sandbox_.port());
      if (leads.size() != kLeads) return false;
      for (int n = 0; n < kLeads; ++n) {
        const auto lead = leads.find("u" + std::to_string(n) + "@example.com");
        if (lead == leads.end() ||
            lead->second.at("mx_V") != std::to_string(phase) + "-" + std::to_string(n)) {
          return false;
        }
      }
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  TempDir dir_;
  SandboxProcess sandbox_{{"--latency", "40", "--rate-limit", "1000/1"}};
  fs::path log_ = dir_ / "logs" / "leads.jsonl";
  fs::path config_;
};

TEST_F(TailDelivery, KilledAtEveryStepEveryLineArrivesOnceAndTheLastValueWins) {
  Append(log_, Phase(1));
  auto daemon = StartDaemon(config_);
  // Killed in the middle of delivery.
  ASSERT_TRUE(WaitFor([&] { return SandboxNumber(sandbox_.port(), "status:200") >= 1; }, seconds(30)))
      << daemon->Stderr();
  Kill(daemon);

  // Killed right after ingest.
  Append(log_, Phase(2));
  daemon = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return Ingested() >= 2 * kLeads; }, seconds(30))) << daemon->Stderr();
  Kill(daemon);

  // Rotated by rename while stopped; the old writer still appends to the
  // renamed file. Killed once the old file is read, around the switch.
  fs::rename(log_, dir_ / "logs" / "leads.jsonl.1");
  Append(dir_ / "logs" / "leads.jsonl.1", Phase(3));
  Append(log_, Phase(4));
  daemon = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return Ingested() >= 3 * kLeads; }, seconds(30))) << daemon->Stderr();
  Kill(daemon);

  // Copytruncate while running, then killed; lines written to the copy's
  // original before the copy are read from wherever they are.
  daemon = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return Ingested() >= 4 * kLeads; }, seconds(30))) << daemon->Stderr();
  Append(log_, Phase(5));
  fs::copy_file(log_, dir_ / "logs" / "leads.jsonl.2");
  fs::resize_file(log_, 0);
  Append(log_, Phase(6));
  ASSERT_TRUE(WaitFor([&] { return Ingested() >= 5 * kLeads; }, seconds(30))) << daemon->Stderr();
  Kill(daemon);

  daemon = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return AllAt(6); }, seconds(60))) << daemon->Stderr();
  EXPECT_EQ(Ingested(), 6 * kLeads) << "each line ingested exactly once";
  ASSERT_TRUE(WaitFor([&] { return QueueStats(config_).pending == 0; }, seconds(30)));
  EXPECT_EQ(QueueStats(config_).dead_letter, 0);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

TEST_F(TailDelivery, PartialLineWaitsForItsNewlineThroughARestart) {
  Append(log_, Phase(1));
  Append(log_, R"({"EmailAddress":"late@example.com",)");
  auto daemon = StartDaemon(config_);
  ASSERT_TRUE(WaitFor([&] { return Ingested() == kLeads; }, seconds(30))) << daemon->Stderr();
  Kill(daemon);
  Append(log_, R"("FirstName":"Late"})"
               "\n");
  daemon = StartDaemon(config_);
  ASSERT_TRUE(
      WaitFor([&] { return SandboxLeads(sandbox_.port()).count("late@example.com") == 1; }, seconds(30)))
      << daemon->Stderr();
  EXPECT_EQ(SandboxLeads(sandbox_.port())["late@example.com"]["FirstName"], "Late");
  EXPECT_EQ(QueueStats(config_).dead_letter, 0) << "the half line was never read as a record";
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
