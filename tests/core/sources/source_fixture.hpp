#pragma once

// A file source on a real queue file, its loop on a thread of its own, its
// waits on a manual clock that only the test moves; the events it reports
// are recorded for the test to look at.

#include <gtest/gtest.h>

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
#include <vector>

#include "core/codec/api_body.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/source_context.hpp"
#include "daemon/options/source_options.hpp"
#include "tests/support/error_text.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {

template <class SourceType>
class SourceFixture : public ::testing::Test {
 public:
  SourceFixture() : thread_([this] { io_.run(); }) {}
  ~SourceFixture() override {
    StopSource();
    work_.reset();
    io_.stop();  // does not hang the test if Run() did not return
    thread_.join();
  }

 protected:
  static constexpr const char* kSource = "signups";

  void Start(config::Source source, std::int64_t max_pending = 1000) {
    backpressure_.SetLimit(max_pending);
    finished_ = false;
    source_ = std::make_unique<SourceType>(
        SourceContext{io_.get_executor(), service_, Events(), backpressure_, clock_}, OptionsFrom(source));
    boost::asio::post(io_, [this] {
      boost::asio::co_spawn(io_, source_->Run(), [this](const std::exception_ptr& error) {
        run_error_ = ErrorText(error);
        finished_ = true;
      });
    });
  }

  // The source's options, as the daemon makes them.
  static auto OptionsFrom(const config::Source& source) {
    if constexpr (std::is_constructible_v<SourceType, SourceContext, SpoolOptions>) {
      return daemon::SpoolOptionsFrom(source);
    } else {
      return daemon::TailOptionsFrom(source);
    }
  }

  // Stops the source and waits for Run() to return.
  void StopSource() {
    if (!source_) return;
    source_->Stop();
    EXPECT_TRUE(WaitFor([&] { return finished_.load(); }, std::chrono::seconds(5)))
        << "Run() did not return after Stop()";
    std::promise<void> reset;
    boost::asio::post(io_, [this, &reset] {
      source_.reset();
      reset.set_value();
    });
    reset.get_future().get();
  }

  SourceEvents Events() {
    SourceEvents events{
        [this](const std::string& source, const EnqueueResult& result, std::span<const Rejection> rejected) {
          std::lock_guard lock(mutex_);
          EXPECT_EQ(source, kSource);
          for (const Rejection& r : rejected) rejections_.push_back(r);
          ingested_ += result.inserted + result.coalesced;
          ++ingest_events_;
        },
        [this](const std::string&, const std::string& what) {
          std::lock_guard lock(mutex_);
          errors_.push_back(what);
        },
        [this] { ++enqueued_; }};
    events.on_state = [this](const std::string&, const std::string& what) {
      std::lock_guard lock(mutex_);
      states_.push_back(what);
    };
    events.on_working = [this](const std::string&, bool working) {
      std::lock_guard lock(mutex_);
      working_.push_back(working);
    };
    return events;
  }

  // Moves the source's clock on, on the loop thread where the source reads
  // it; the timers due by then wake.
  void AdvanceClock(Duration by) {
    boost::asio::post(io_, [this, by] { clock_.Advance(by); });
  }
  // How long from now the source's next timer is due; nullopt when none
  // waits. Read on the loop thread.
  std::optional<Duration> NextWait() {
    return OnLoop([this]() -> std::optional<Duration> {
      const std::optional<TimePoint> next = clock_.NextDeadline();
      if (!next) return std::nullopt;
      return *next - clock_.Now();
    });
  }
  // Runs `work` on the loop thread and returns what it returns.
  template <class Work>
  auto OnLoop(Work work) {
    std::promise<decltype(work())> result;
    boost::asio::post(io_, [&] { result.set_value(work()); });
    return result.get_future().get();
  }

  // Runs `work` on the queue's own thread, as the source does.
  template <class Work>
  auto OnQueue(Work work) {
    return boost::asio::co_spawn(io_, service_.Submit(std::move(work)), boost::asio::use_future).get();
  }
  QueueStats Stats() {
    return OnQueue([](Queue& q) { return q.Stats(); });
  }
  std::vector<QueuedRecord> Claim(int limit = 100) {
    return OnQueue([this, limit](Queue& q) { return q.Claim(limit, clock_.Now()); });
  }
  // Every pending record's lead by key (claims them).
  std::map<std::string, Lead> ClaimAll() {
    std::map<std::string, Lead> leads;
    for (QueuedRecord& record : Claim(1'000'000))
      leads[record.key] = DecodeRecord(record.record).value_or(Lead{});
    return leads;
  }
  std::vector<DeadLetterEntry> DeadLetters() {
    return OnQueue([](Queue& q) { return q.DeadLetters(); });
  }
  std::vector<std::string> Errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }
  // What the source reported as states (backpressure, rotation): no errors.
  std::vector<std::string> States() {
    std::lock_guard lock(mutex_);
    return states_;
  }
  std::vector<Rejection> Rejections() {
    std::lock_guard lock(mutex_);
    return rejections_;
  }
  // What the source said of whether it works, in order.
  std::vector<bool> Working() {
    std::lock_guard lock(mutex_);
    return working_;
  }
  int IngestEvents() {
    std::lock_guard lock(mutex_);
    return ingest_events_;
  }
  std::int64_t Ingested() {
    std::lock_guard lock(mutex_);
    return ingested_;
  }

  TempDir dir_;
  boost::asio::io_context io_;
  ManualClock clock_{io_.get_executor()};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  QueueService service_{OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, true})};
  Backpressure backpressure_{io_.get_executor(), 1000};
  std::unique_ptr<SourceType> source_;
  std::atomic<bool> finished_ = false;
  std::optional<std::string> run_error_;  // written before finished_
  std::atomic<int> enqueued_ = 0;
  std::mutex mutex_;
  std::vector<std::string> errors_;
  std::vector<std::string> states_;
  std::vector<bool> working_;
  std::vector<Rejection> rejections_;
  int ingest_events_ = 0;
  std::int64_t ingested_ = 0;
  std::thread thread_;
};

}  // namespace leadsync::testing
