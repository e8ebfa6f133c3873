#include "core/sources/ingest_stream.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/sources/unique_fd.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

class IngestStreamTest : public ::testing::Test {
 protected:
  IngestStream::Input File(const std::string& text) {
    testing::WriteFile(dir_ / "input", text);
    fd_ = UniqueFd(::open((dir_ / "input").c_str(), O_RDONLY | O_CLOEXEC));
    return {fd_.get(), true, text.size(), true};
  }
  static std::vector<std::string> Keys(const IngestChunk& chunk) {
    std::vector<std::string> keys;
    for (const IncomingLead& lead : chunk.batch.leads) keys.push_back(lead.key);
    return keys;
  }

  testing::TempDir dir_;
  UniqueFd fd_;
  IngestOptions options_{"src", {}, std::nullopt};
};

TEST_F(IngestStreamTest, ChunksHoldAtMostTheRecordLimitAndTheLastSaysTheInputEnded) {
  const std::string text = "EmailAddress\na@x.com\n\nb@x.com\nc@x.com\nd@x.com\n\n";
  IngestStream stream(File(text), InputFormat::kCsv, options_, "f.csv");
  const ChunkLimits two{.records = 2};
  IngestChunk first = stream.Next(two);
  EXPECT_EQ(Keys(first), (std::vector<std::string>{"emailaddress:a@x.com", "emailaddress:b@x.com"}));
  EXPECT_EQ(first.state, IngestChunk::State::kMore);
  EXPECT_EQ(first.end, (InputPosition{text.find("c@x.com"), 5}));
  IngestChunk second = stream.Next(two);
  EXPECT_EQ(Keys(second), (std::vector<std::string>{"emailaddress:c@x.com", "emailaddress:d@x.com"}));
  EXPECT_EQ(second.state, IngestChunk::State::kEnd) << "seen at the limit, not in an empty chunk after it";
  EXPECT_EQ(second.end.offset, text.size());
}

TEST_F(IngestStreamTest, ResumedCsvReadsItsHeaderFromTheStart) {
  const std::string text = "FirstName,EmailAddress\nA,a@x.com\nB,b@x.com\n";
  const std::uint64_t second_row = text.find("B,");
  IngestStream stream(File(text), InputFormat::kCsv, options_, "f.csv", {second_row, 3});
  const IngestChunk chunk = stream.Next({});
  ASSERT_EQ(chunk.batch.leads.size(), 1u);
  EXPECT_EQ(chunk.batch.leads[0].lead.Find("FirstName")->value, "B");
  EXPECT_EQ(chunk.state, IngestChunk::State::kEnd);
}

TEST_F(IngestStreamTest, BrokenJsonArrayIsOneRejectionAndNothingElse) {
  IngestStream stream(File("[{\"EmailAddress\":\"a@x.com\"}\n{\"EmailAddress\":\"b@x.com\"}]"),
                      InputFormat::kJson, options_, "f.json");
  const IngestChunk chunk = stream.Next({});
  EXPECT_TRUE(chunk.batch.leads.empty());
  ASSERT_EQ(chunk.batch.rejections.size(), 1u);
  EXPECT_EQ(chunk.batch.rejections[0].location, "f.json:2");
  EXPECT_EQ(chunk.state, IngestChunk::State::kEnd);
  EXPECT_EQ(stream.Next({}).state, IngestChunk::State::kEnd);
}

TEST_F(IngestStreamTest, ReadsAPipeAsAStream) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  const UniqueFd read_end(fds[0]);
  const std::string text = "{\"EmailAddress\":\"a@x.com\"}\n{\"Phone\":\"+1 555\"}\nnot json\n";
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  IngestStream stream({read_end.get(), false, std::nullopt, true}, InputFormat::kJsonl, options_, "stdin");
  const IngestChunk chunk = stream.Next({});
  EXPECT_EQ(Keys(chunk), (std::vector<std::string>{"emailaddress:a@x.com", "phone:+1555"}));
  ASSERT_EQ(chunk.batch.rejections.size(), 1u);
  EXPECT_EQ(chunk.batch.rejections[0].location, "stdin:3");
  EXPECT_EQ(chunk.batch.rejections[0].record, "not json");
  EXPECT_EQ(chunk.state, IngestChunk::State::kEnd);
}

TEST_F(IngestStreamTest, FollowedFileWaitsForTheRestOfALine) {
  testing::WriteFile(dir_ / "log", "{\"EmailAddress\":\"a@x.com\"}\n{\"EmailAddress\":");
  const UniqueFd fd(::open((dir_ / "log").c_str(), O_RDONLY | O_CLOEXEC));
  IngestStream stream({fd.get(), true, std::nullopt, false}, InputFormat::kJsonl, options_, "log");
  IngestChunk chunk = stream.Next({});
  EXPECT_EQ(chunk.batch.leads.size(), 1u);
  EXPECT_EQ(chunk.state, IngestChunk::State::kPending);
  const std::uint64_t first_line = chunk.end.offset;
  const UniqueFd append(::open((dir_ / "log").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  ASSERT_EQ(::write(append.get(), "\"b@x.com\"}\n", 11), 11);
  chunk = stream.Next({});
  EXPECT_EQ(Keys(chunk), (std::vector<std::string>{"emailaddress:b@x.com"}));
  EXPECT_EQ(chunk.end.offset, first_line + 27);
  EXPECT_EQ(chunk.end.line, 3);
}

}  // namespace
}  // namespace leadsync
