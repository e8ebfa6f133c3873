#include "core/codec/record_splitter.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sources/unique_fd.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync {
namespace {

using Status = RecordSplitter::Status;

struct Split {
  std::vector<std::string> texts;
  std::vector<int> lines;
  std::vector<InputPosition> ends;
  std::vector<bool> too_long;
  Status last = Status::kEnd;
};

Split SplitAll(RecordSplitter& splitter) {
  Split out;
  RawRecord record;
  while ((out.last = splitter.Next(record)) == Status::kRecord) {
    out.texts.emplace_back(record.text);
    out.lines.push_back(record.line);
    out.ends.push_back(record.end);
    out.too_long.push_back(record.too_long);
  }
  return out;
}

Split SplitText(std::string_view text, InputFormat format, std::size_t max = 1 << 20, bool complete = true) {
  InputBuffer input(text);
  const auto splitter = MakeSplitter(format, input, max);
  splitter->SetComplete(complete);
  return SplitAll(*splitter);
}

// A file on disk, read through a descriptor in blocks.
class FileInput {
 public:
  explicit FileInput(const std::string& text) {
    testing::WriteFile(dir_ / "input", text);
    fd_ = UniqueFd(::open((dir_ / "input").c_str(), O_RDONLY | O_CLOEXEC));
  }
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  testing::TempDir dir_;
  UniqueFd fd_;
};

TEST(LineSplitter, CutsLinesWithTheirPositions) {
  const Split split = SplitText("a\n\nbb\nccc", InputFormat::kJsonl);
  EXPECT_EQ(split.texts, (std::vector<std::string>{"a", "", "bb", "ccc"}));
  EXPECT_EQ(split.lines, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(split.ends[2], (InputPosition{6, 4}));
  EXPECT_EQ(split.ends[3].offset, 9u);
}

TEST(LineSplitter, PartialLastLineWaitsUnlessTheInputIsComplete) {
  const Split waiting = SplitText("a\nb", InputFormat::kJsonl, 1 << 20, /*complete=*/false);
  EXPECT_EQ(waiting.texts, (std::vector<std::string>{"a"}));
  EXPECT_EQ(waiting.last, Status::kPending);
}

TEST(LineSplitter, ReadsLinesAcrossBlocksOfAFile) {
  std::string text;
  for (int i = 0; i < 100'000; ++i) text += "line " + std::to_string(i) + "\n";
  ASSERT_GT(text.size(), 2 * InputBuffer::kBlock);
  const FileInput file(text);
  InputBuffer input(file.fd(), 0, std::nullopt, true);
  const auto splitter = MakeSplitter(InputFormat::kJsonl, input, 1 << 20);
  const Split split = SplitAll(*splitter);
  ASSERT_EQ(split.texts.size(), 100'000u);
  EXPECT_EQ(split.texts[77'777], "line 77777");
  EXPECT_EQ(split.ends.back(), (InputPosition{text.size(), 100'001}));
}

TEST(LineSplitter, SkipsALineOverTheCapKeepingItsStartAndGoesOn) {
  const std::string huge(3 * InputBuffer::kBlock, 'x');
  const FileInput file("first\n" + huge + "\nlast\n");
  InputBuffer input(file.fd(), 0, std::nullopt, true);
  const auto splitter = MakeSplitter(InputFormat::kJsonl, input, 4096);
  const Split split = SplitAll(*splitter);
  ASSERT_EQ(split.texts.size(), 3u);
  EXPECT_TRUE(split.too_long[1]);
  EXPECT_EQ(split.texts[1], huge.substr(0, 1024));
  EXPECT_EQ(split.lines[1], 2);
  EXPECT_EQ(split.texts[2], "last");
  EXPECT_EQ(split.lines[2], 3);
}

TEST(LineSplitter, ResumesFromAPositionAndSkipsAByteOrderMarkOnlyAtTheStart) {
  const std::string text = "\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n";
  const FileInput file(text);
  InputBuffer from_start(file.fd(), 0, std::nullopt, true);
  EXPECT_EQ(SplitAll(*MakeSplitter(InputFormat::kJsonl, from_start, 1 << 20)).texts[0], "{\"a\":1}");
  InputBuffer resumed(file.fd(), 11, std::nullopt, true);
  const Split split = SplitAll(*MakeSplitter(InputFormat::kJsonl, resumed, 1 << 20, {11, 2}));
  EXPECT_EQ(split.texts, (std::vector<std::string>{"{\"b\":2}"}));
  EXPECT_EQ(split.lines, (std::vector<int>{2}));
}

TEST(CsvSplitter, EndsRecordsAtLineBreaksOutsideQuotes) {
  const Split split = SplitText("h1,h2\na,\"x\ny\"\nb,c\"d\n\"\"\" q\",e\n", InputFormat::kCsv);
  EXPECT_EQ(split.texts, (std::vector<std::string>{"h1,h2", "a,\"x\ny\"", "b,c\"d", "\"\"\" q\",e"}));
  EXPECT_EQ(split.lines, (std::vector<int>{1, 2, 4, 5}));
}

TEST(CsvSplitter, UnterminatedQuoteRunsToTheEnd) {
  const Split split = SplitText("h\n\"open\nnever closed\n", InputFormat::kCsv);
  EXPECT_EQ(split.texts, (std::vector<std::string>{"h", "\"open\nnever closed\n"}));
}

TEST(JsonArraySplitter, CutsElementsWithTheLineTheyStartOn) {
  const Split split =
      SplitText("\n[ {\"a\": [1, {\"b\": \"]\"}]},\n  [{\"Attribute\":\"x\"}] ,\n 42, \"s\\\"\" ]\n",
                InputFormat::kJson);
  EXPECT_EQ(split.texts, (std::vector<std::string>{"{\"a\": [1, {\"b\": \"]\"}]}", "[{\"Attribute\":\"x\"}]",
                                                   "42", "\"s\\\"\""}));
  EXPECT_EQ(split.lines, (std::vector<int>{2, 3, 4, 4}));
  EXPECT_EQ(split.last, Status::kEnd);
}

TEST(JsonArraySplitter, ResumesJustAfterAnElement) {
  const std::string text = "[{\"a\":1},\n{\"b\":2}]";
  InputBuffer input(std::string_view(text).substr(8));  // the checkpoint's offset: 8, before the comma
  const Split split = SplitAll(*MakeSplitter(InputFormat::kJson, input, 1 << 20, {8, 1}));
  EXPECT_EQ(split.texts, (std::vector<std::string>{"{\"b\":2}"}));
  EXPECT_EQ(split.lines, (std::vector<int>{2}));
}

TEST(JsonArraySplitter, BrokenStructureSaysWhereAndWhy) {
  struct Case {
    std::string text;
    int line;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{{"[{}\n{}]", 2, "invalid JSON: missing ',' between elements"},
                                         {"[{},\n", 2, "invalid JSON: the array is not closed"},
                                         {"[1,]", 1, "invalid JSON: an element is missing"},
                                         {"[] x", 1, "invalid JSON: text after the array"},
                                         {"{\"a\":1}", 1, "expected a JSON array of leads"}}) {
    InputBuffer input(c.text);
    const auto splitter = MakeSplitter(InputFormat::kJson, input, 1 << 20);
    EXPECT_EQ(SplitAll(*splitter).last, Status::kBroken) << c.text;
    EXPECT_EQ(splitter->broken_line(), c.line) << c.text;
    EXPECT_EQ(splitter->broken_reason(), c.reason) << c.text;
  }
}

TEST(JsonArraySplitter, ElementsOverTheCapAreSkippedWithBoundedMemory) {
  const std::string deep(2 * InputBuffer::kBlock, '[');
  const FileInput file("[{\"a\":1}, " + deep + std::string(deep.size(), ']') + ", {\"b\":2}]");
  InputBuffer input(file.fd(), 0, std::nullopt, true);
  const Split split = SplitAll(*MakeSplitter(InputFormat::kJson, input, 1024));
  ASSERT_EQ(split.texts.size(), 3u);
  EXPECT_TRUE(split.too_long[1]);
  EXPECT_EQ(split.texts[2], "{\"b\":2}");
}

}  // namespace
}  // namespace leadsync
