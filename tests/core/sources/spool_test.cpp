#include "core/sources/spool.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "core/sources/spool_checkpoint.hpp"
#include "tests/core/sources/source_fixture.hpp"

namespace leadsync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::DropFile;
using ::testing::HasSubstr;
using testing::WaitFor;
using testing::WriteFile;

// The source waits on a manual clock that moves only when a test moves it:
// a file ingested without that was seen through inotify.
constexpr std::chrono::milliseconds kTimeout = 10s;

std::string Csv(const std::string& email, const std::string& name) {
  return "EmailAddress,FirstName\n" + email + "," + name + "\n";
}

class SpoolTest : public testing::SourceFixture<SpoolSource> {
 protected:
  config::Source Spool(config::AfterIngest after = config::AfterIngest::kMove) {
    config::Source source;
    source.name = kSource;
    source.settings = config::SpoolSettings{.path = spool_, .after = after, .create = true};
    return source;
  }
  bool Done(const std::vector<std::string>& names) {
    return std::ranges::all_of(names, [&](const std::string& name) {
      return fs::exists(spool_ / "done" / name) && !fs::exists(spool_ / name);
    });
  }

  fs::path spool_ = dir_ / "spool";
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
  const auto checkpoint = SpoolCheckpoint::Parse(stats.sources.at(kSource).checkpoint);
  ASSERT_TRUE(checkpoint) << stats.sources.at(kSource).checkpoint;
  EXPECT_EQ(checkpoint->file.name, "c.json");
  EXPECT_EQ(checkpoint->file.size, json.size());
  EXPECT_TRUE(checkpoint->complete());
  const std::map<std::string, Lead> leads = ClaimAll();
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

TEST_F(SpoolTest, RejectsBadLinesWithFileLineCategoryAndRawTextAndIngestsTheRest) {
  Start(Spool());
  DropFile(spool_, "batch.csv",
           "EmailAddress,FirstName\ngood1@x.com,One\n,NoKey\ngood2@x.com,Two,extra\ngood3@x.com,Three\n");
  DropFile(spool_, "events.jsonl",
           "{\"EmailAddress\":\"j1@x.com\"}\n{\"EmailAddress\": tru}\n{\"EmailAddress\":\"j2@x.com\"}\n");
  ASSERT_TRUE(WaitFor([&] { return Done({"batch.csv", "events.jsonl"}); }, kTimeout));

  EXPECT_EQ(Stats().pending, 4);
  std::map<std::string, DeadLetterEntry> by_message;
  for (const DeadLetterEntry& entry : DeadLetters()) {
    EXPECT_EQ(entry.source, kSource);
    by_message[entry.message] = entry;
  }
  ASSERT_EQ(by_message.size(), 3u);
  EXPECT_EQ(by_message.count("batch.csv:3: no key: neither EmailAddress nor Phone is set"), 1u);
  EXPECT_EQ(by_message.at("batch.csv:4: expected 2 columns, got 3").record, "good2@x.com,Two,extra");
  const auto bad_json = std::ranges::find_if(
      by_message, [](const auto& m) { return m.first.starts_with("events.jsonl:2: invalid JSON"); });
  ASSERT_NE(bad_json, by_message.end());
  EXPECT_EQ(bad_json->second.record, "{\"EmailAddress\": tru}");
  std::map<std::string, std::string> categories;
  for (const Rejection& r : Rejections()) categories[r.location] = r.category;
  EXPECT_EQ(categories, (std::map<std::string, std::string>{{"batch.csv:3", "no_key"},
                                                            {"batch.csv:4", "invalid_csv"},
                                                            {"events.jsonl:2", "invalid_json"}}));
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
  ASSERT_TRUE(WaitFor([&] { return !States().empty(); }, kTimeout)) << "backpressure is reported";
  EXPECT_TRUE(Errors().empty()) << "backpressure is a state, not a source error";
  EXPECT_TRUE(fs::exists(spool_ / "wait.csv"));
  EXPECT_EQ(Stats().pending, 1);

  const std::vector<QueuedRecord> held = Claim();
  ASSERT_EQ(held.size(), 1u);
  OnQueue([&](Queue& q) {
    q.ApplySettlement({clock_.Now(), 200, {{held[0].id, {1, "L1", true, false, 1, ""}}}, {}, {}, {}});
  });
  boost::asio::post(io_, [this] { backpressure_.SetBacklog(0); });  // as the daemon's housekeeping does
  ASSERT_TRUE(WaitFor([&] { return Done({"wait.csv"}); }, kTimeout));
  const QueueStats stats = Stats();
  EXPECT_EQ(stats.pending, 1);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 1);
  EXPECT_EQ(States().size(), 1u) << "reported once while it lasted";
  EXPECT_TRUE(Errors().empty());
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

// A spool that cannot be used stops the whole source: it says so (the
// daemon marks it down), retries every kRetryPeriod of its clock, and says
// it works again once the spool can be made.
TEST_F(SpoolTest, UnusableSpoolIsNotWorkingAndRetriedEveryRetryPeriodOfItsClock) {
  WriteFile(dir_ / "blocker", "a file where the spool's parent should be");
  spool_ = dir_ / "blocker" / "spool";
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return !Working().empty(); }, kTimeout));
  EXPECT_EQ(Working(), std::vector<bool>{false});
  EXPECT_EQ(Errors().size(), 1u);
  const std::optional<Duration> retry = NextWait();
  ASSERT_TRUE(retry);
  EXPECT_GE(*retry, SpoolSource::kRetryPeriod * 9 / 10);
  EXPECT_LE(*retry, SpoolSource::kRetryPeriod * 11 / 10);

  fs::remove(dir_ / "blocker");
  AdvanceClock(*retry - 1ms);
  EXPECT_FALSE(WaitFor([&] { return fs::exists(spool_); }, 200ms)) << "retried before its time";
  AdvanceClock(1ms);
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done"); }, kTimeout));
  ASSERT_TRUE(WaitFor([&] { return Working().size() >= 2; }, kTimeout));
  EXPECT_TRUE(Working().back());
  const std::optional<Duration> rescan = NextWait();
  ASSERT_TRUE(rescan) << "a working spool is rescanned as a safety net";
  EXPECT_LE(*rescan, SpoolSource::kScanPeriod * 11 / 10);
}

// inotify does not report a file opened, written and kept open (no
// IN_CLOSE_WRITE): the rescan every kScanPeriod of the clock finds it.
TEST_F(SpoolTest, RescansEveryScanPeriodOfItsClock) {
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return fs::is_directory(spool_ / "done") && NextWait().has_value(); }, kTimeout));
  const Duration rescan = *NextWait();
  EXPECT_GE(rescan, SpoolSource::kScanPeriod * 9 / 10);
  EXPECT_LE(rescan, SpoolSource::kScanPeriod * 11 / 10);
  const std::string csv = Csv("open@x.com", "Open");
  const int fd = ::open((spool_ / "open.csv").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, csv.data(), csv.size()), static_cast<ssize_t>(csv.size()));
  EXPECT_FALSE(WaitFor([&] { return Done({"open.csv"}); }, 200ms)) << "seen before the rescan";
  AdvanceClock(rescan);
  EXPECT_TRUE(WaitFor([&] { return Done({"open.csv"}); }, kTimeout));
  ::close(fd);
  EXPECT_EQ(Stats().pending, 1);
  EXPECT_EQ(Working(), std::vector<bool>(Working().size(), true));
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
