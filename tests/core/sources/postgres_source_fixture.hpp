#pragma once

// A PostgresSource against a real PostgreSQL 15 server and a real queue
// file, its loop on a thread of its own, its waits on a manual clock; what
// the queue hands out is "delivered" by the test (claimed and acknowledged),
// so each test sees every record the source sent, as often as it sent it.
// Eventually() moves the clock to the source's next wake-up at each look, so
// intervals and backoff take no real time; a test that checks them reads
// NextWait() instead.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/codec/api_body.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/postgres.hpp"
#include "daemon/options/source_options.hpp"
#include "tests/support/error_text.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {

using namespace std::chrono_literals;

// Attribute -> value; custom field set fields as "Set.Field".
using Sent = std::map<std::string, std::string>;

inline constexpr const char* kSourceName = "crm";
inline constexpr std::chrono::milliseconds kTimeout = 15s;

class PostgresSourceTest : public ::testing::Test {
 public:
  PostgresSourceTest() : thread_([this] { io_.run(); }) {}
  ~PostgresSourceTest() override {
    StopSource();
    work_.reset();
    io_.stop();
    thread_.join();
  }

 protected:
  void SetUp() override {
    if (const std::string why = PostgresServer::Unavailable(); !why.empty()) GTEST_SKIP() << why;
  }

  // Starts the server and opens the test's own session to it.
  void StartServer(std::vector<std::string> settings = {}) {
    server_ = std::make_unique<PostgresServer>(std::move(settings));
    db_ = std::make_unique<PgSession>(server_->dsn());
  }

  config::Source Source(const std::string& query, std::vector<std::string> cursor = {"updated_at"}) {
    config::PostgresSettings settings;
    settings.dsn = server_->dsn();
    settings.query = query;
    settings.cursor = std::move(cursor);
    settings.interval = 100ms;
    config::Source source;
    source.name = kSourceName;
    source.settings = settings;
    return source;
  }

  static config::PostgresSettings& Settings(config::Source& source) {
    return std::get<config::PostgresSettings>(source.settings);
  }

  void Start(config::Source source) {
    source_ = std::make_unique<PostgresSource>(
        SourceContext{io_.get_executor(), service_, Events(), backpressure_, clock_},
        daemon::PostgresOptionsFrom(source));
    boost::asio::post(io_, [this] {
      boost::asio::co_spawn(io_, source_->Run(), [this](const std::exception_ptr& error) {
        run_error_ = ErrorText(error);
        finished_ = true;
      });
    });
  }

  void StopSource() {
    if (!source_ || finished_) return;
    source_->Stop();
    EXPECT_TRUE(WaitFor([&] { return finished_.load(); }, 5s)) << "Run() did not return after Stop()";
  }

  SourceEvents Events() {
    SourceEvents events{[this](const std::string& source, const EnqueueResult& result,
                               std::span<const Rejection> rejections) {
                          std::lock_guard lock(mutex_);
                          EXPECT_EQ(source, kSourceName);
                          largest_commit_ = std::max(largest_commit_, result.inserted + result.coalesced);
                          rejections_.insert(rejections_.end(), rejections.begin(), rejections.end());
                        },
                        [this](const std::string& source, const std::string& what) {
                          std::lock_guard lock(mutex_);
                          EXPECT_EQ(source, kSourceName);
                          errors_.push_back(what);
                        },
                        [] {}};
    events.on_working = [this](const std::string&, bool working) {
      std::lock_guard lock(mutex_);
      working_.push_back(working);
    };
    return events;
  }

  // Waits until `done` holds, moving the source's clock to its next timer
  // at each look: whatever the source waits for (the interval, a backoff,
  // room in the queue) comes at once in real time.
  template <class Predicate>
  bool Eventually(Predicate done) {
    return WaitFor(
        [&] {
          if (done()) return true;
          boost::asio::post(io_, [this] {
            if (const std::optional<TimePoint> next = clock_.NextDeadline()) clock_.AdvanceTo(*next);
          });
          return false;
        },
        kTimeout);
  }
  // Moves the source's clock on (on the loop); the timers due by then wake.
  void AdvanceClock(Duration by) {
    boost::asio::post(io_, [this, by] { clock_.Advance(by); });
  }
  // How long from the clock's now the source's next timer is due; nullopt
  // when none waits.
  std::optional<Duration> NextWait() {
    std::promise<std::optional<Duration>> wait;
    boost::asio::post(io_, [&] {
      const std::optional<TimePoint> next = clock_.NextDeadline();
      wait.set_value(next ? std::optional<Duration>(*next - clock_.Now()) : std::nullopt);
    });
    return wait.get_future().get();
  }
  // What the source said of whether it works, in order.
  std::vector<bool> Working() {
    std::lock_guard lock(mutex_);
    return working_;
  }

  template <class Work>
  auto OnQueue(Work work) {
    return boost::asio::co_spawn(io_, service_.Submit(std::move(work)), boost::asio::use_future).get();
  }

  // Claims and acknowledges what is pending; returns it by e-mail.
  std::map<std::string, Sent> Deliver() {
    std::map<std::string, Sent> out;
    OnQueue([&](Queue& q) {
      Settlement settlement{clock_.Now(), 200, {}, {}, {}, {}};
      for (const QueuedRecord& record : q.Claim(1000, clock_.Now())) {
        const Lead lead = DecodeRecord(record.record).value_or(Lead{});
        Sent sent;
        for (const Attribute& a : lead.attributes()) {
          sent[a.name] = a.value;
          for (const Field& f : a.fields) sent[a.name + "." + f.name] = f.value;
        }
        out[sent["EmailAddress"]] = sent;
        settlement.delivered.push_back({record.id, {1, "L", true, false, 1, ""}});
      }
      q.ApplySettlement(settlement);
    });
    std::lock_guard lock(mutex_);
    for (const auto& [email, sent] : out) {
      ++times_sent_[email];
      last_sent_[email] = sent;
    }
    return out;
  }

  // Delivers until every e-mail in `emails` has been sent `times` times.
  bool DeliveredTimes(const std::vector<std::string>& emails, int times = 1) {
    return Eventually([&] {
      static_cast<void>(Deliver());
      std::lock_guard lock(mutex_);
      for (const std::string& email : emails) {
        if (times_sent_[email] < times) return false;
      }
      return true;
    });
  }

  int TimesSent(const std::string& email) {
    std::lock_guard lock(mutex_);
    return times_sent_[email];
  }
  Sent LastSent(const std::string& email) {
    std::lock_guard lock(mutex_);
    return last_sent_[email];
  }
  // Waits for `n` more polls to run to the end, then delivers what they sent.
  void PollsMore(int n) {
    const std::int64_t target = source_->polls() + n;
    ASSERT_TRUE(Eventually([&] { return source_->polls() >= target; }));
    static_cast<void>(Deliver());
  }
  std::vector<std::string> Errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }
  std::vector<Rejection> Rejections() {
    std::lock_guard lock(mutex_);
    return rejections_;
  }
  // The most leads one poll committed.
  std::int64_t LargestCommit() {
    std::lock_guard lock(mutex_);
    return largest_commit_;
  }
  std::optional<std::string> CheckpointValue() {
    return OnQueue([](Queue& q) { return q.ReadCheckpoint(kSourceName).value; });
  }

  TempDir dir_;
  std::unique_ptr<PostgresServer> server_;
  std::unique_ptr<PgSession> db_;
  boost::asio::io_context io_;
  ManualClock clock_{io_.get_executor()};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  QueueService service_{OpenQueue(QueueOptions{dir_ / "queue.db", false, false, true, true})};
  Backpressure backpressure_{io_.get_executor(), 1000};
  std::unique_ptr<PostgresSource> source_;
  std::atomic<bool> finished_ = false;
  std::optional<std::string> run_error_;  // written before finished_
  std::mutex mutex_;
  std::vector<std::string> errors_;
  std::vector<bool> working_;
  std::vector<Rejection> rejections_;
  std::int64_t largest_commit_ = 0;
  std::map<std::string, int> times_sent_;
  std::map<std::string, Sent> last_sent_;
  std::thread thread_;
};

}  // namespace leadsync::testing
