#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/codec/input_buffer.hpp"
#include "core/codec/record_decoder.hpp"
#include "core/codec/record_splitter.hpp"
#include "core/sources/ingest.hpp"

namespace leadsync {

// How much one chunk may hold, so that one commit holds the queue thread
// for a bounded time and memory stays flat whatever the input's size.
struct ChunkLimits {
  std::size_t records = 10'000;                          // leads and rejections
  std::uint64_t bytes = std::uint64_t{8} * 1024 * 1024;  // of input
  std::chrono::milliseconds time{250};                   // of reading and parsing
};

// One chunk of an input, ready for one Enqueue together with `end`.
struct IngestChunk {
  enum class State {
    kMore,     // stopped at a limit: call Next() again
    kPending,  // no complete record left for now (a followed file)
    kEnd,      // the input is finished (end is its end)
    kFailed,   // a read failed: `error`
  };
  IngestBatch batch;
  InputPosition end;  // just past the last record read (the input's end at kEnd)
  State state = State::kMore;
  std::string error;
};

// Reads an input of any size a chunk at a time: records cut by a
// RecordSplitter, decoded, given keys, bad ones turned into rejections with
// "label:line: reason", a category and their raw text. Memory is bounded by
// the chunk limits and the record cap (max_line_length), not by the input.
//
// For a complete JSON input read from its start, the array's structure is
// checked first (in time-bounded steps, chunks without records): a broken
// array yields one rejection at the line of the break and nothing else.
// A CSV input resumed past its start reads its header from offset 0.
//
// Not thread-safe; borrows the descriptor, which must outlive the stream.
class IngestStream final {
 public:
  struct Input {
    int fd = -1;
    bool seekable = true;                  // a file (pread); else a pipe (read)
    std::optional<std::uint64_t> limit{};  // read no further (a spool file's size)
    bool complete = true;                  // the end of the bytes is the end of the input
  };

  IngestStream(Input input, InputFormat format, IngestOptions options, std::string label,
               InputPosition start = {});
  ~IngestStream();
  IngestStream(const IngestStream&) = delete;
  IngestStream& operator=(const IngestStream&) = delete;

  [[nodiscard]] IngestChunk Next(const ChunkLimits& limits);
  // A followed file that will not grow any more (rotated and quiet): its
  // last line counts even without a line break.
  void SetComplete();
  [[nodiscard]] InputPosition position() const { return position_; }

 private:
  struct Check;  // the structure check of a JSON input

  void ReadHeader();
  // One time-bounded step of the JSON check; true once it has passed.
  bool StepCheck(const ChunkLimits& limits, IngestChunk& chunk);
  void ReadRecords(const ChunkLimits& limits, IngestChunk& chunk);
  void LookAhead(IngestChunk& chunk);
  void TakeCarry(IngestChunk& chunk);
  void Stop(RecordSplitter::Status status, IngestChunk& chunk);
  void End(const RecordSplitter& splitter, IngestChunk& chunk);
  void Fail(int error, IngestChunk& chunk);

  Input input_;
  IngestOptions options_;
  std::string label_;
  InputPosition position_;
  InputBuffer buffer_;
  std::unique_ptr<RecordSplitter> splitter_;
  std::unique_ptr<RecordDecoder> decoder_;
  std::unique_ptr<Check> check_;
  // The record read past a chunk's limit, decoded, for the next chunk.
  struct Carry {
    IngestBatch batch;
    InputPosition end;
  };
  std::optional<Carry> carry_;
  bool finished_ = false;
};

}  // namespace leadsync
