// Spool files read in chunks: each chunk commits with the file's checkpoint,
// and a run that stops (or dies) anywhere resumes without repeating or
// losing a record.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/sources/regular_file.hpp"
#include "core/sources/spool.hpp"
#include "core/sources/spool_checkpoint.hpp"
#include "tests/core/sources/source_fixture.hpp"

namespace leadsync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::DropFile;
using testing::ReadFile;
using testing::WaitFor;
using testing::WriteFile;

constexpr std::chrono::milliseconds kTimeout = 10s;

std::string Jsonl(int from, int to) {
  std::string text;
  for (int i = from; i < to; ++i)
    text += R"({"EmailAddress":"u)" + std::to_string(i) + R"(@x.com","mx_N":)" + std::to_string(i) + "}\n";
  return text;
}

class SpoolResumeTest : public testing::SourceFixture<SpoolSource> {
 protected:
  config::Source Spool() {
    config::Source source;
    source.name = kSource;
    source.settings = config::SpoolSettings{.path = spool_, .create = true};
    return source;
  }
  bool Done(const std::string& name) {
    return fs::exists(spool_ / "done" / name) && !fs::exists(spool_ / name);
  }

  // What a run that died after committing the first `bytes` of spool file
  // `name` (whole records, ending before line `next_line`) left behind.
  void CommitPrefix(const std::string& name, InputFormat format, std::uint64_t bytes, int next_line) {
    const std::string text = ReadFile(spool_ / name);
    const UniqueFd fd(::open((spool_ / name).c_str(), O_RDONLY | O_CLOEXEC));
    struct stat info {};
    ASSERT_EQ(::fstat(fd.get(), &info), 0);
    const std::int64_t mtime = std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
    const auto identity = IdentifySpoolFile(fd.get(), name, text.size(), mtime);
    ASSERT_TRUE(identity);
    const std::string checkpoint = SpoolCheckpoint{*identity, {bytes, next_line}}.Format();
    Commit(text.substr(0, bytes), format, name, checkpoint);
  }
  void Commit(const std::string& text, InputFormat format, const std::string& label,
              const std::string& checkpoint) {
    OnQueue([&](Queue& q) {
      const IngestBatch batch = Ingest(text, format, {kSource, {}, {}}, label);
      return q.Enqueue(batch.leads, batch.rejections, CheckpointUpdate{kSource, checkpoint}, clock_.Now());
    });
  }

  fs::path spool_ = dir_ / "spool";
};

TEST_F(SpoolResumeTest, FileCommittedWholeButNotRetiredIsRetiredNotEnqueuedAgain) {
  const std::string text = "EmailAddress,FirstName\nann@x.com,Ann\n";
  WriteFile(spool_ / "signups.csv", text);
  CommitPrefix("signups.csv", InputFormat::kCsv, text.size(), 3);
  ASSERT_EQ(Claim().size(), 1u);  // in flight: a second enqueue would add a pending record
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done("signups.csv"); }, kTimeout));

  QueueStats stats = Stats();
  EXPECT_EQ(stats.pending, 0);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 1);
  EXPECT_EQ(IngestEvents(), 0);

  // Same name, other bytes: a new file, ingested and moved beside the first.
  DropFile(spool_, "signups.csv", "EmailAddress,FirstName\nbob@x.com,Bob\n");
  ASSERT_TRUE(WaitFor([&] { return fs::exists(spool_ / "done" / "signups.csv.1"); }, kTimeout));
  stats = Stats();
  EXPECT_EQ(stats.pending, 1);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 2);
  EXPECT_EQ(ReadFile(spool_ / "done" / "signups.csv"), text);
}

TEST_F(SpoolResumeTest, FileCommittedInPartResumesAfterTheLastCommittedChunk) {
  const std::string text = Jsonl(0, 5);
  WriteFile(spool_ / "events.jsonl", text);
  const std::uint64_t two_lines = Jsonl(0, 2).size();
  CommitPrefix("events.jsonl", InputFormat::kJsonl, two_lines, 3);
  ASSERT_EQ(Claim().size(), 2u);  // in flight: a repeat would show as pending
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done("events.jsonl"); }, kTimeout));

  const QueueStats stats = Stats();
  EXPECT_EQ(stats.in_flight, 2);
  EXPECT_EQ(stats.pending, 3);
  EXPECT_EQ(stats.sources.at(kSource).ingested, 5);
  std::vector<std::string> keys;
  for (const auto& [key, lead] : ClaimAll()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"emailaddress:u2@x.com", "emailaddress:u3@x.com",
                                            "emailaddress:u4@x.com"}));
  EXPECT_TRUE(SpoolCheckpoint::Parse(stats.sources.at(kSource).checkpoint)->complete());
}

TEST_F(SpoolResumeTest, CsvResumedInPartKeepsItsHeaderAndLineNumbers) {
  const std::string text = "EmailAddress,FirstName\na@x.com,A\nb@x.com,B\n,NoKey\nc@x.com,C\n";
  WriteFile(spool_ / "rows.csv", text);
  CommitPrefix("rows.csv", InputFormat::kCsv, text.find("b@x.com"), 3);
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done("rows.csv"); }, kTimeout));

  const std::map<std::string, Lead> leads = ClaimAll();
  ASSERT_EQ(leads.size(), 3u);
  EXPECT_EQ(leads.at("emailaddress:c@x.com").Find("FirstName")->value, "C");
  const std::vector<Rejection> rejections = Rejections();
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].location, "rows.csv:4");
}

TEST_F(SpoolResumeTest, CheckpointOfEarlierVersionsStillRetiresTheFile) {
  const std::string text = Jsonl(0, 1);
  WriteFile(spool_ / "old.jsonl", text);
  const UniqueFd fd(::open((spool_ / "old.jsonl").c_str(), O_RDONLY | O_CLOEXEC));
  const std::string legacy =
      "old.jsonl|" + std::to_string(text.size()) + "|" + *HashPrefix(fd.get(), text.size(), 64);
  Commit(text, InputFormat::kJsonl, "old.jsonl", legacy);
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done("old.jsonl"); }, kTimeout));
  EXPECT_EQ(Stats().sources.at(kSource).ingested, 1);
  EXPECT_EQ(IngestEvents(), 0);
}

TEST_F(SpoolResumeTest, LargeFileCommitsInChunksAndPausesAtMaxPendingWithoutLosingARecord) {
  constexpr int kRecords = 25'000;
  DropFile(spool_, "big.jsonl", Jsonl(0, kRecords));
  Start(Spool(), /*max_pending=*/10'000);
  ASSERT_TRUE(WaitFor([&] { return !States().empty(); }, kTimeout)) << "backpressure is reported";
  EXPECT_TRUE(Errors().empty()) << "backpressure is a state, not a source error";
  QueueStats stats = Stats();
  EXPECT_EQ(stats.pending, 10'000) << "one chunk, as large as the room left";
  EXPECT_TRUE(fs::exists(spool_ / "big.jsonl")) << "the file waits in place";
  const auto partial = SpoolCheckpoint::Parse(stats.sources.at(kSource).checkpoint);
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->position.offset, Jsonl(0, 10'000).size());
  EXPECT_EQ(partial->position.line, 10'001);

  // A restart with room: the rest, exactly once.
  StopSource();
  Start(Spool(), /*max_pending=*/1'000'000);
  ASSERT_TRUE(WaitFor([&] { return Done("big.jsonl"); }, kTimeout));
  stats = Stats();
  EXPECT_EQ(stats.pending, kRecords);
  EXPECT_EQ(stats.sources.at(kSource).ingested, kRecords);
  EXPECT_GE(IngestEvents(), 3) << "25 000 records take at least three chunks";
}

TEST_F(SpoolResumeTest, BrokenJsonArrayIsRejectedWholeBeforeAnythingIsEnqueued) {
  DropFile(spool_, "broken.json",
           "[{\"EmailAddress\":\"a@x.com\"},\n{\"EmailAddress\":\"b@x.com\"}\n{\"Phone\":\"1\"}]");
  Start(Spool());
  ASSERT_TRUE(WaitFor([&] { return Done("broken.json"); }, kTimeout));
  EXPECT_EQ(Stats().pending, 0);
  const std::vector<Rejection> rejections = Rejections();
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].location, "broken.json:3");
  EXPECT_EQ(rejections[0].category, "invalid_json");
}

TEST_F(SpoolResumeTest, RecordsOverTheCapsAreRejectedAndTheRestIngested) {
  config::Source source = Spool();
  source.max_line_length = 200;
  source.max_attributes = 3;
  const std::string long_line = R"({"EmailAddress":"long@x.com","Notes":")" + std::string(300, 'n') + "\"}\n";
  DropFile(spool_, "caps.jsonl",
           "{\"EmailAddress\":\"a@x.com\"}\n" + long_line +
               R"({"EmailAddress":"wide@x.com","A":"1","B":"2","C":"3"})" +
               "\n{\"EmailAddress\":\"b@x.com\"}\n");
  Start(source);
  ASSERT_TRUE(WaitFor([&] { return Done("caps.jsonl"); }, kTimeout));
  EXPECT_EQ(Stats().pending, 2);
  std::map<std::string, std::string> categories;
  for (const Rejection& r : Rejections()) categories[r.location] = r.category;
  EXPECT_EQ(categories, (std::map<std::string, std::string>{{"caps.jsonl:2", "too_long"},
                                                            {"caps.jsonl:3", "too_many_attributes"}}));
}

}  // namespace
}  // namespace leadsync
