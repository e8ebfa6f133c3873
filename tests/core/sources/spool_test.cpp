#include "core/sources/spool.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/codec/api_body.hpp"
#include "core/queue/queue_service.hpp"
#include "core/sources/spool_files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::DropFile;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

// Under the shortest rescan period (4.5 s): a file ingested in time after the
// source went idle was seen through inotify.
constexpr std::chrono::milliseconds kTimeout = 3s;
constexpr const char* kSource = "signups";

std::string Csv(const std::string& email, const std::string& name) {
  return "EmailAddress,FirstName\n" + email + "," + name + "\n";
}

// A SpoolSource on a real queue file, its loop on a thread of its own.
class SpoolTest : public ::testing::Test {
 public:
  SpoolTest() : thread_([this] { io_.run(); }) {}
  ~SpoolTest() override {
    if (source_) {
      source_->Stop();
      EXPECT_TRUE(WaitFor([&] { return finished_.load(); }, 1s)) << "Run() did not return after Stop()";
    }
    work_.reset();
    io_.stop();  // does not hang the test if Run() did not return
    thread_.join();
  }

 protected:
  config::Source Spool(config::AfterIngest after = config::AfterIngest::kMove) {
    config::Source source;
    source.name = kSource;
    source.settings = config::SpoolSettings{.path = spool_, .after = after};
    return source;
  }

  void Start(config::Source source, std::int64_t max_pending = 1000) {
    backpressure_.SetLimit(max_pending);
    source_ = std::make_unique<SpoolSource>(
        SourceContext{io_.get_executor(), service_, Events(), backpressure_, clock_}, std::move(source));
    asio::post(io_, [this] {
      asio::co_spawn(io_, source_->Run(), [this](const std::exception_ptr& error) {
        run_error_ = error;
        finished_ = true;
      });
    });
  }

  SourceEvents Events() {
    return {[this](const std::string& source, const EnqueueResult&, std::span<const Rejection> rejected) {
              std::lock_guard lock(mutex_);
              EXPECT_EQ(source, kSource);
              rejected_ += rejected.size();
              ++ingest_events_;
            },
            [this](const std::string&, const std::string& what) {
              std::lock_guard lock(mutex_);
              errors_.push_back(what);
            },
            [this] { ++enqueued_; }};
  }

  // Runs `work` on the queue's own thread, as the source does.
  template <class Work>
  auto OnQueue(Work work) {
    return asio::co_spawn(io_, service_.Submit(std::move(work)), asio::use_future).get();
  }
  QueueStats Stats() {
    return OnQueue([](Queue& q) { return q.Stats(); });
  }
  std::vector<QueuedRecord> Claim() {
    return OnQueue([this](Queue& q) { return q.Claim(100, clock_.Now()); });
  }
  void Commit(const std::string& name, const std::string& text) {
    OnQueue([&](Queue& q) {
      IngestBatch batch = Ingest(text, InputFormat::kCsv, {kSource, {}, {}}, name);
      return q.Enqueue(batch.leads, batch.rejections, CheckpointUpdate{kSource, FileIdentity(name, text)},
                       clock_.Now());
    });
  }
  std::vector<std::string> Errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }
  int IngestEvents() {
    std::lock_guard lock(mutex_);
    return ingest_events_;
  }
  bool Done(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (!fs::exists(spool_ / "done" / name) || fs::exists(spool_ / name)) return false;
    }
    return true;
  }

  TempDir dir_;
  fs::path spool_ = dir_ / "spool";
  ManualTimeSource clock_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  QueueService service_{OpenQueue(QueueOptions{dir_ / "queue.db", true, false, true, true})};
  Backpressure backpressure_{io_.get_executor(), 1000};
  std::unique_ptr<SpoolSource> source_;
  std::atomic<bool> finished_ = false;
  std::exception_ptr run_error_;
  std::atomic<int> enqueued_ = 0;
  std::mutex mutex_;
  std::vector<std::string> errors_;
  int ingest_events_ = 0;
  std::size_t rejected_ = 0;
  std::thread thread_;
};

TEST_F(SpoolTest, IngestsDroppedFilesOfEveryFormatAndMovesThemToDone) {
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout))
      << "creates PATH and PATH/done";
  DropFile(spool_, "first.csv", Csv("first@x.com", "First"));
  ASSERT_TRUE(WaitFor([&] { return Done({"first.csv"}); }, kTimeout));

  DropFile(spool_, "a.csv", "EmailAddress,FirstName,mx_City\nann@x.com,Ann,Pune\n");
  DropFile(spool_, "b.jsonl",
           R"({"EmailAddress":"bob@x.com","FirstName":"Bob","mx_KYC":{"Status":"Verified"}})"
           "\n");
  const std::string json = R"([[{"Attribute":"Phone","Value":"+91 98000 00003"},)"
                           R"({"Attribute":"FirstName","Value":"Meera"}]])";
  DropFile(spool_, "c.json", json);
  ASSERT_TRUE(WaitFor([&] { return Done({"a.csv", "b.jsonl", "c.json"}); }, kTimeout));

  const QueueStats stats = Stats();
  EXPECT_EQ(stats.pending, 4);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 4);
  EXPECT_EQ(stats.sources.at(kSource).checkpoint, FileIdentity("c.json", json));
  std::map<std::string, Lead> leads;
  for (QueuedRecord& record : Claim()) leads[record.key] = DecodeRecord(record.record).value_or(Lead{});
  ASSERT_EQ(leads.size(), 4u);
  EXPECT_EQ(leads.at("emailaddress:ann@x.com").Find("mx_City")->value, "Pune");
  EXPECT_EQ(leads.at("emailaddress:bob@x.com").Find("FirstName")->value, "Bob");
  const Attribute* kyc = leads.at("emailaddress:bob@x.com").Find("mx_KYC");
  ASSERT_NE(kyc, nullptr);
  EXPECT_EQ(kyc->fields, (std::vector<Field>{{"Status", "Verified"}}));
  EXPECT_EQ(leads.at("phone:+919800000003").Find("Phone")->value, "+91 98000 00003");
  EXPECT_EQ(IngestEvents(), 4);
  EXPECT_GE(enqueued_.load(), 4);
  EXPECT_TRUE(Errors().empty());
}

TEST_F(SpoolTest, IngestsFilesPresentAtStartOldestFirstThenByName) {
  const auto now = fs::file_time_type::clock::now();
  const std::vector<std::pair<std::string, std::chrono::seconds>> files = {
      {"y.csv", 0s}, {"b.csv", 10s}, {"a.csv", 10s}, {"m.csv", 20s}, {"z.csv", 30s}};
  for (const auto& [name, age] : files) {
    WriteFile(spool_ / name, Csv(name.substr(0, 1) + "@x.com", name));
    fs::last_write_time(spool_ / name, now - age);
  }
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done({"y.csv", "b.csv", "a.csv", "m.csv", "z.csv"}); }, kTimeout));

  std::vector<std::string> keys;
  for (const QueuedRecord& record : Claim()) keys.push_back(record.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"emailaddress:z@x.com", "emailaddress:m@x.com", "emailaddress:a@x.com",
                                      "emailaddress:b@x.com", "emailaddress:y@x.com"}));
}

TEST_F(SpoolTest, NeverReadsFilesStillBeingWrittenAndReportsUnsupportedOnce) {
  WriteFile(spool_ / "half.csv.tmp", Csv("tmp@x.com", "Tmp"));
  WriteFile(spool_ / ".half.csv", Csv("dot@x.com", "Dot"));
  WriteFile(spool_ / "notes.txt", "not leads");
  Start(Spool());
  DropFile(spool_, "ready.csv", Csv("ready@x.com", "Ready"));
  ASSERT_TRUE(WaitFor([&] { return Done({"ready.csv"}); }, kTimeout));
  source_->Rescan();
  DropFile(spool_, "later.csv", Csv("later@x.com", "Later"));
  ASSERT_TRUE(WaitFor([&] { return Done({"later.csv"}); }, kTimeout));

  EXPECT_TRUE(fs::exists(spool_ / "half.csv.tmp"));
  EXPECT_TRUE(fs::exists(spool_ / ".half.csv"));
  EXPECT_TRUE(fs::exists(spool_ / "notes.txt"));
  EXPECT_EQ(Stats().pending, 2);
  const std::vector<std::string> errors = Errors();
  ASSERT_EQ(errors.size(), 1u) << "an unsupported name is reported once, not at every scan";
  EXPECT_THAT(errors[0], HasSubstr("notes.txt"));
}

TEST_F(SpoolTest, RejectsBadLinesWithFileAndLineAndIngestsTheRest) {
  Start(Spool());
  DropFile(spool_, "batch.csv",
           "EmailAddress,FirstName\ngood1@x.com,One\n,NoKey\ngood2@x.com,Two,extra\ngood3@x.com,Three\n");
  ASSERT_TRUE(WaitFor([&] { return Done({"batch.csv"}); }, kTimeout));

  EXPECT_EQ(Stats().pending, 2);
  std::vector<std::string> messages;
  for (const DeadLetterEntry& entry : OnQueue([](Queue& q) { return q.DeadLetters(); })) {
    EXPECT_EQ(entry.source, kSource);
    messages.push_back(entry.message);
  }
  std::sort(messages.begin(), messages.end());
  EXPECT_EQ(messages, (std::vector<std::string>{"batch.csv:3: no key: neither EmailAddress nor Phone is set",
                                                "batch.csv:4: expected 2 columns, got 3"}));
  std::lock_guard lock(mutex_);
  EXPECT_EQ(rejected_, 2u);
}

TEST_F(SpoolTest, FileCommittedButNotMovedBeforeRestartIsMovedNotEnqueuedAgain) {
  const std::string text = Csv("ann@x.com", "Ann");
  Commit("signups.csv", text);
  ASSERT_EQ(Claim().size(), 1u);  // in flight: a second enqueue would add a pending record
  WriteFile(spool_ / "signups.csv", text);
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done({"signups.csv"}); }, kTimeout));

  QueueStats stats = Stats();
  EXPECT_EQ(stats.pending, 0);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 1);
  EXPECT_EQ(IngestEvents(), 0);

  // Same name, other bytes: a new file, ingested and moved beside the first.
  DropFile(spool_, "signups.csv", Csv("bob@x.com", "Bob"));
  ASSERT_TRUE(WaitFor([&] { return fs::exists(spool_ / "done" / "signups.csv.1"); }, kTimeout));
  stats = Stats();
  EXPECT_EQ(stats.pending, 1);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 2);
  EXPECT_EQ(testing::ReadFile(spool_ / "done" / "signups.csv"), text);
}

TEST_F(SpoolTest, CommitsNothingElseWhileACommittedFileCannotBeRetired) {
  const std::string text = Csv("ann@x.com", "Ann");
  Commit("a.csv", text);
  WriteFile(spool_ / "a.csv", text);
  WriteFile(spool_ / "b.csv", Csv("bob@x.com", "Bob"));
  fs::last_write_time(spool_ / "b.csv", fs::file_time_type::clock::now() - 60s);  // older than a.csv
  WriteFile(spool_ / "done", "a file where the done directory should be");
  Start(Spool());
  // Reported: the done directory cannot be made, a.csv cannot be moved.
  ASSERT_TRUE(WaitFor([&] { return Errors().size() >= 2; }, kTimeout));

  fs::remove(spool_ / "done");
  source_->Rescan();
  ASSERT_TRUE(WaitFor([&] { return Done({"a.csv", "b.csv"}); }, kTimeout));
  const QueueStats stats = Stats();
  EXPECT_EQ(stats.sources.at(kSource).ingested, 2) << "a.csv once (before the restart), b.csv once";
  EXPECT_EQ(stats.pending, 2);
  EXPECT_EQ(IngestEvents(), 1);
}

TEST_F(SpoolTest, DeletesFilesAfterIngestWhenConfigured) {
  Start(Spool(config::AfterIngest::kDelete));
  DropFile(spool_, "gone.jsonl",
           R"({"EmailAddress":"gone@x.com"})"
           "\n");
  ASSERT_TRUE(WaitFor([&] { return !fs::exists(spool_ / "gone.jsonl"); }, kTimeout));
  EXPECT_EQ(Stats().pending, 1);
  EXPECT_FALSE(fs::exists(spool_ / "done"));
}

TEST_F(SpoolTest, WaitsWhileBacklogIsAtMaxPendingAndIngestsOnceItDrains) {
  OnQueue([this](Queue& q) {
    const Lead lead(std::vector<Attribute>{{"EmailAddress", "held@x.com"}});
    return q.Enqueue(std::vector{IncomingLead{*LeadKey(lead), "other", lead}}, {}, std::nullopt,
                     clock_.Now());
  });
  Start(Spool(), /*max_pending=*/1);
  DropFile(spool_, "wait.csv", Csv("wait@x.com", "Wait"));
  ASSERT_TRUE(WaitFor([&] { return !Errors().empty(); }, kTimeout)) << "backpressure is reported";
  EXPECT_TRUE(fs::exists(spool_ / "wait.csv"));
  EXPECT_EQ(Stats().pending, 1);

  const std::vector<QueuedRecord> held = Claim();
  ASSERT_EQ(held.size(), 1u);
  OnQueue([&](Queue& q) {
    q.ApplySettlement({clock_.Now(), 200, {{held[0].id, {1, "L1", true, false, 1, ""}}}, {}, {}, {}});
  });
  source_->Rescan();
  ASSERT_TRUE(WaitFor([&] { return Done({"wait.csv"}); }, kTimeout));
  const QueueStats stats = Stats();
  EXPECT_EQ(stats.pending, 1);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 1);
  EXPECT_EQ(Errors().size(), 1u) << "reported once while it lasted";
}

TEST_F(SpoolTest, ReportsADirectoryThatCannotBeCreatedAndRecoversOnRescan) {
  WriteFile(dir_ / "blocker", "a file where the spool's parent should be");
  spool_ = dir_ / "blocker" / "spool";
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return !Errors().empty(); }, kTimeout));

  fs::remove(dir_ / "blocker");
  source_->Rescan();
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout));
  DropFile(spool_, "late.csv", Csv("late@x.com", "Late"));
  ASSERT_TRUE(WaitFor([&] { return Done({"late.csv"}); }, kTimeout));
  EXPECT_EQ(Stats().pending, 1);
}

TEST_F(SpoolTest, LeavesAnUnreadableFileInPlaceAndReportsIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  WriteFile(spool_ / "locked.csv", Csv("locked@x.com", "Locked"));
  ::chmod((spool_ / "locked.csv").c_str(), 0);
  Start(Spool());
  DropFile(spool_, "open.csv", Csv("open@x.com", "Open"));
  ASSERT_TRUE(WaitFor([&] { return Done({"open.csv"}); }, kTimeout));
  EXPECT_TRUE(fs::exists(spool_ / "locked.csv"));
  EXPECT_EQ(Errors().size(), 1u);
  EXPECT_EQ(Stats().pending, 1);
}

TEST_F(SpoolTest, StopEndsRunPromptly) {
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout));
  source_->Stop();
  EXPECT_TRUE(WaitFor([&] { return finished_.load(); }, 1s));
  EXPECT_FALSE(run_error_);
}

}  // namespace
}  // namespace leadsync
