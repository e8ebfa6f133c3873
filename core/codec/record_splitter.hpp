#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/codec/input_buffer.hpp"
#include "core/codec/input_parser.hpp"

namespace leadsync {

// Where a record starts or an input resumes: an absolute byte offset and
// the physical line (1-based) at that offset.
struct InputPosition {
  std::uint64_t offset = 0;
  int line = 1;
  bool operator==(const InputPosition&) const = default;
};

// One record cut from an input, not yet decoded.
struct RawRecord {
  // The record's bytes without its terminator; valid until the next call
  // to Next(). For a record over the length cap, only its first bytes.
  std::string_view text;
  int line = 0;       // physical line where the record starts
  InputPosition end;  // just past the record and its terminator
  bool too_long = false;
};

// Cuts an input into records with bounded memory: JSONL lines, CSV records
// (which may span lines inside quotes) or the elements of one JSON array.
// A record longer than `max_record` bytes is skipped over without being
// kept (Next() reports it with too_long and its first bytes).
//
// Not thread-safe; borrows the InputBuffer.
class RecordSplitter {
 public:
  enum class Status {
    kRecord,   // `record` holds the next record
    kPending,  // no complete record yet (the rest may still be written)
    kEnd,      // the input is finished and fully split
    kBroken,   // the input's structure is broken from here on (JSON)
    kError,    // the read failed: InputBuffer::error()
  };

  virtual ~RecordSplitter() = default;
  [[nodiscard]] virtual Status Next(RawRecord& record) = 0;
  // With `complete`, the end of the available bytes is the end of the input:
  // a last record without its terminator is a record (a spool file). Without
  // it (a followed file), such a record waits for its terminator (kPending).
  void SetComplete(bool complete) { complete_ = complete; }
  // For kBroken: why, and where.
  [[nodiscard]] const std::string& broken_reason() const { return broken_reason_; }
  [[nodiscard]] int broken_line() const { return broken_line_; }

 protected:
  bool complete_ = true;
  std::string broken_reason_;
  int broken_line_ = 0;
};

// A splitter for `format` reading `input` from `start`. For JSON, a start
// past offset 0 is just after an element of the array (a checkpoint).
[[nodiscard]] std::unique_ptr<RecordSplitter> MakeSplitter(InputFormat format, InputBuffer& input,
                                                           std::size_t max_record, InputPosition start = {});

}  // namespace leadsync
