// `leadsync run` with all four kinds of source (spool, tail, webhook,
// postgres) under a workload that changes the same leads again and again,
// killed with SIGKILL at twenty chosen points and restarted after each:
//   ingest        while a large spool file is being committed chunk by chunk;
//   mid-request   while the sandbox holds a call open (its latency);
//   after answer  as soon as the sandbox has answered, before the daemon's
//                 commit of the outcome;
//   reload        after SIGHUP, once the daemon said RELOADING=1.
// The kill points come from what the daemon and the sandbox report, not from
// sleeping. What is asserted does not depend on where a kill landed: in the
// end the sandbox holds every lead's last change, no lead's changes arrived
// out of order (repeats allowed), the sandbox never saw more calls than the
// limit in any window, and the queue is empty with nothing dead-lettered.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <optional>

#include "tests/reliability/lead_versions.hpp"
#include "tests/support/http.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/sandbox_server.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kKills = 20;
constexpr int kRateLimit = 25;  // calls per 5 s, the sandbox's and the daemon's
constexpr const char* kToken = "crash-test-token";

enum class KillPoint { kIngest, kMidRequest, kAfterAnswer, kReload };
constexpr std::array<const char*, 4> kKillPointNames = {"ingest", "mid-request", "after answer", "reload"};

// A YAML single-quoted scalar.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

void Append(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
}

// The sandbox's counters that place a kill.
struct Calls {
  std::int64_t arrived = 0;
  std::int64_t answered = 0;
};

std::optional<Calls> SandboxCalls(std::uint16_t port) {
  const boost::json::value state = GetJson(port, "/sandbox/state");
  if (!state.is_object()) return std::nullopt;
  return Calls{state.at("calls").to_number<std::int64_t>(), state.at("answered").to_number<std::int64_t>()};
}

class CrashRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "spool");
    fs::create_directories(dir_ / "logs");
    if (PostgresServer::Unavailable().empty()) {
      postgres_.emplace();
      PgSession(postgres_->dsn())
          .Exec(
              "CREATE TABLE leads (email text PRIMARY KEY, first_name text, version int, "
              "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
    } else {
      std::printf("[ crash ] no PostgreSQL here (%s): the postgres source sits this one out\n",
                  PostgresServer::Unavailable().c_str());
    }
    WriteConfig(false);
  }

  void WriteConfig(bool reloaded) {
    std::string sources =
        "  - name: files\n    type: spool\n    path: " + (dir_ / "spool").string() +
        "\n  - name: events\n    type: tail\n    path: " + tail_.string() +
        "\n  - name: forms\n    type: webhook\n    listen: 127.0.0.1:" + std::to_string(webhook_port_) +
        "\n    token: " + kToken + "\n";
    if (postgres_) {
      sources += "  - name: crm\n    type: postgres\n    dsn: " + Quoted(postgres_->dsn()) + "\n    query: " +
                 Quoted(
                     "SELECT email AS \"EmailAddress\", first_name AS \"FirstName\", version::text AS "
                     "\"mx_Version\", updated_at AS \"mx_Updated_At\" FROM leads WHERE updated_at >= $1 "
                     "ORDER BY updated_at LIMIT 500") +
                 "\n    cursor: mx_Updated_At\n    interval: 100ms\n";
    }
    // A reload changes something real: the linger and the in-flight cap.
    config_ =
        WriteSourcesConfig(dir_, {.api_host = sandbox_.url(),
                                  .sources = sources,
                                  .metrics_port = metrics_port_,
                                  .leadsquared = std::string("  linger: ") + (reloaded ? "80ms" : "40ms") +
                                                 "\n  max_in_flight: " + (reloaded ? "3" : "4") +
                                                 "\n  rate_limit: { requests: " + std::to_string(kRateLimit) +
                                                 ", per: 5s }\n  request_timeout: 10s\n"
                                                 "  retry: { initial_backoff: 100ms, max_backoff: 1s }\n"});
  }

  // Each daemon gets a notification socket of its own: a READY=1 sent by
  // the last one (after a reload) cannot pass for the next one's.
  std::unique_ptr<Process> Start() {
    notify_.reset();
    notify_.emplace(dir_ / ("notify-" + std::to_string(starts_++)));
    auto daemon = StartNotifyingDaemon(config_, *notify_);
    EXPECT_TRUE(notify_->NextLine("READY=1", seconds(30))) << daemon->Stderr();
    return daemon;
  }

  // Reads what the daemon sent: an AF_UNIX datagram socket queues only a
  // few, and sd_notify() blocks the daemon while the queue is full.
  void Drain() { (void)notify_->NextLine("(none)", milliseconds(0)); }

  // Polls as fast as a request goes: a kill should follow its trigger closely.
  template <class Predicate>
  bool Watch(Predicate predicate, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (predicate()) return true;
      Drain();
    }
    return false;
  }

  void Kill(std::unique_ptr<Process>& daemon) {
    daemon->Signal(SIGKILL);
    ASSERT_EQ(daemon->Wait(seconds(20)), 128 + SIGKILL) << daemon->Stderr();
    daemon.reset();
  }

  // A slice of a source's leads, each changed `times` times in a row.
  std::vector<LeadChange> Changes(const std::string& prefix, int round, int count, int times) {
    std::vector<LeadChange> changes;
    for (int t = 0; t < times; ++t) {
      for (int i = 0; i < count; ++i) {
        const int lead = (round * count + i) % Scaled(200, 20);
        changes.push_back(versions_.Next(prefix + std::to_string(lead) + "@crash.test"));
      }
    }
    return changes;
  }

  // What the sources meet while the daemon is down or starting: a spool
  // file, lines appended to the tailed file, database rows changed.
  void WriteWhileDown(int round) {
    char name[32];
    std::snprintf(name, sizeof name, "round-%03d.jsonl", round);
    DropFile(dir_ / "spool", name, Jsonl(Changes("s", round, Scaled(50, 5), 2)));
    Append(tail_, Jsonl(Changes("t", round, Scaled(50, 5), 2)));
    if (!postgres_) return;
    PgSession session(postgres_->dsn());
    // One row changed twice before a poll shows only its last value.
    for (const LeadChange& change : Changes("p", round, Scaled(40, 4), 2)) {
      session.Exec("INSERT INTO leads (email, first_name, version) VALUES ('" + change.email + "', '" +
                   change.FirstName() + "', " + std::to_string(change.version) +
                   ") ON CONFLICT (email) DO UPDATE SET first_name = EXCLUDED.first_name, version = "
                   "EXCLUDED.version, updated_at = clock_timestamp()");
    }
  }

  // Posts until the webhook answers 202; a kill between its commit and its
  // answer makes the same body go twice, which at-least-once allows.
  void Post(const std::vector<LeadChange>& changes, Process& daemon) {
    const std::string body = JsonArray(changes);
    const bool accepted = WaitFor(
        [&] {
          Drain();
          return HttpRequest(webhook_port_, "POST", "/v1/leads", body,
                             {{"Authorization", std::string("Bearer ") + kToken},
                              {"Content-Type", "application/json"}})
                     .status == 202;
        },
        seconds(30));
    ASSERT_TRUE(accepted) << daemon.Stderr();
  }

  // Drives the daemon to `point` and kills it there; false when the point
  // did not come (the kill happens anyway).
  bool KillAt(KillPoint point, std::unique_ptr<Process>& daemon, int round) {
    bool reached = false;
    const std::optional<Calls> start = SandboxCalls(sandbox_.port());
    switch (point) {
      case KillPoint::kIngest: {
        // A file far larger than one commit chunk: the kill lands between two.
        std::vector<LeadChange> bulk;
        for (int v = 0; v < Scaled(40, 4); ++v) {
          for (int i = 0; i < Scaled(100, 10); ++i)
            bulk.push_back(versions_.Next("b" + std::to_string(i) + "@crash.test"));
        }
        const double before =
            MetricValue(metrics_port_, "leadsync_records_ingested_total", R"(source="files")").value_or(0);
        DropFile(dir_ / "spool", "bulk-" + std::to_string(round) + ".jsonl", Jsonl(bulk));
        reached = Watch(
            [&] {
              return MetricValue(metrics_port_, "leadsync_records_ingested_total", R"(source="files")")
                         .value_or(0) > before;
            },
            seconds(20));
        break;
      }
      case KillPoint::kMidRequest:
        reached = start && Watch(
                               [&] {
                                 const auto now = SandboxCalls(sandbox_.port());
                                 return now && now->arrived > start->arrived && now->answered < now->arrived;
                               },
                               seconds(20));
        break;
      case KillPoint::kAfterAnswer:
        reached = start && Watch(
                               [&] {
                                 const auto now = SandboxCalls(sandbox_.port());
                                 return now && now->answered > start->answered;
                               },
                               seconds(20));
        break;
      case KillPoint::kReload:
        WriteConfig(round % 2 == 1);
        Drain();
        daemon->Signal(SIGHUP);
        reached = notify_->NextLine("RELOADING=1", seconds(20)).has_value();
        break;
    }
    Kill(daemon);
    // Rows still in flight in the file: the answer came, its commit did not.
    if (point == KillPoint::kAfterAnswer && QueueStats(config_).in_flight > 0) ++uncommitted_answers_;
    return reached;
  }

  TempDir dir_;
  fs::path tail_ = dir_ / "logs" / "events.jsonl";
  SandboxProcess sandbox_{{"--rate-limit", std::to_string(kRateLimit) + "/5", "--observe-rate-limit",
                           "--latency", "30", "--latency-jitter", "150", "--track", kVersionAttribute,
                           "--seed", "11"}};
  std::uint16_t metrics_port_ = FreePort();
  std::uint16_t webhook_port_ = FreePort();
  std::optional<NotifySocket> notify_;
  int starts_ = 0;
  std::optional<PostgresServer> postgres_;
  fs::path config_;
  LeadVersions versions_;
  int uncommitted_answers_ = 0;
};

TEST_F(CrashRecovery, TwentyKillsLoseNothingReorderNothingAndKeepTheLimit) {
  const auto begin = std::chrono::steady_clock::now();
  std::array<int, 4> planned{};
  std::array<int, 4> reached{};
  for (int round = 0; round < kKills; ++round) {
    WriteWhileDown(round);
    auto daemon = Start();
    ASSERT_NO_FATAL_FAILURE(Post(Changes("w", round, Scaled(25, 3), 1), *daemon));
    ASSERT_NO_FATAL_FAILURE(Post(Changes("w", round, Scaled(25, 3), 1), *daemon));
    const auto point = static_cast<KillPoint>(round % 4);
    ++planned[round % 4];
    if (KillAt(point, daemon, round)) ++reached[round % 4];
    ASSERT_FALSE(daemon);
  }
  // The last run reports to nobody: nothing to drain while it delivers.
  auto daemon = StartDaemon(config_);
  const bool delivered = WaitFor([&] { return versions_.Delivered(sandbox_.port()); }, seconds(180));
  const auto drained = std::chrono::steady_clock::now();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(30)), 0) << daemon->Stderr();

  EXPECT_TRUE(delivered);
  for (const std::string& line : versions_.Mismatches(sandbox_.port())) ADD_FAILURE() << line;
  for (const std::string& line : versions_.Regressions(sandbox_.port())) ADD_FAILURE() << line;
  EXPECT_LE(SandboxNumber(sandbox_.port(), "max_arrivals_in_window"), kRateLimit);
  EXPECT_EQ(SandboxNumber(sandbox_.port(), "limit_violations"), 0);
  const QueueView queue = QueueStats(config_);
  EXPECT_EQ(queue.pending, 0);
  EXPECT_EQ(queue.in_flight, 0);
  EXPECT_EQ(queue.dead_letter, 0);

  std::printf("[ crash ] %d kills; trigger reached:", kKills);
  for (std::size_t i = 0; i < planned.size(); ++i)
    std::printf(" %s %d/%d", kKillPointNames[i], reached[i], planned[i]);
  std::printf("; killed with an answer not yet committed: %d/%d", uncommitted_answers_, planned[2]);
  std::printf("\n[ crash ] %s", LeadVersions::HistorySummary(sandbox_.port()).c_str());
  std::printf(
      "\n[ crash ] %zu changes to %zu leads, %lld calls (max %lld in a window of 5 s, limit %d), "
      "drained in %.1f s\n",
      versions_.changes(), versions_.leads(), static_cast<long long>(SandboxNumber(sandbox_.port(), "calls")),
      static_cast<long long>(SandboxNumber(sandbox_.port(), "max_arrivals_in_window")), kRateLimit,
      std::chrono::duration<double>(drained - begin).count());
}

}  // namespace
}  // namespace leadsync::testing
