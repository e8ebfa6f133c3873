#pragma once

// Internal to core/codec: the block-reading loop the record splitters share.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/codec/record_splitter.hpp"

namespace leadsync {

// What a format's scanner found in the window.
struct Cut {
  enum class Kind { kMore, kRecord, kBroken };
  static constexpr std::size_t kNotStarted = std::string_view::npos;

  Kind kind = Kind::kMore;
  std::size_t scanned = 0;          // kMore: bytes examined; scanning resumes there
  std::size_t begin = kNotStarted;  // the record's first byte, once it has started
  std::size_t end = 0;              // kRecord: one past its last byte
  std::size_t next = 0;             // kRecord: where the next record's scan starts
  int line = 0;                     // kRecord: where it starts
  int next_line = 0;                // kRecord: the line at `next`
};

// Reads blocks, asks Scan() where the next record ends, keeps memory bounded
// by skipping over records longer than the cap, and hands records out.
// Scanners keep their own state between calls (so a record that spans
// blocks is scanned once) and never hold positions in the window: the loop
// may drop bytes it has scanned.
class ScanningSplitter : public RecordSplitter {
 public:
  Status Next(RawRecord& record) final;

 protected:
  ScanningSplitter(InputBuffer& input, std::size_t max_record) : input_(input), max_record_(max_record) {}

  // Scans `window` from `from` (the bytes before it were scanned by earlier
  // calls). A kMore cut sets `begin` when the record starts in this call;
  // a kRecord cut does too when it started in this call.
  virtual Cut Scan(std::string_view window, std::size_t from) = 0;
  // At the end of a complete input: the last record when one has `started`
  // (its bytes run to the end of `window`), a broken structure, or kMore
  // for nothing left.
  virtual Cut Finish(std::string_view window, bool started) = 0;
  void Broken(std::string reason, int line);

 private:
  // A record that has outgrown the cap: keep its first bytes, drop the rest.
  // Drops what no record needs any more: bytes before a record starts, and
  // the scanned bytes of a record over the cap (keeping its first ones).
  void Bound();
  Status Emit(const Cut& cut, RawRecord& record);

  InputBuffer& input_;
  std::size_t max_record_;
  std::size_t scan_ = 0;  // window bytes already scanned
  std::size_t begin_ = Cut::kNotStarted;
  std::size_t consume_ = 0;  // the record handed out last, dropped at the next call
  bool skipping_ = false;    // inside a record over the cap
  std::string kept_;         // the first bytes of that record
};

}  // namespace leadsync

namespace leadsync {

// One factory per format, behind MakeSplitter().
[[nodiscard]] std::unique_ptr<RecordSplitter> MakeLineSplitter(InputBuffer& input, std::size_t max_record,
                                                               InputPosition start);
[[nodiscard]] std::unique_ptr<RecordSplitter> MakeCsvSplitter(InputBuffer& input, std::size_t max_record,
                                                              InputPosition start);
[[nodiscard]] std::unique_ptr<RecordSplitter> MakeJsonArraySplitter(InputBuffer& input,
                                                                    std::size_t max_record,
                                                                    InputPosition start);

}  // namespace leadsync
