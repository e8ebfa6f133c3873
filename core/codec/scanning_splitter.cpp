#include "core/codec/scanning_splitter.hpp"

#include <algorithm>

namespace leadsync {
namespace {

// How much of a record over the cap is kept, for the dead-letter store.
constexpr std::size_t kKeptPrefix = 1024;

}  // namespace

RecordSplitter::Status ScanningSplitter::Next(RawRecord& record) {
  input_.Consume(consume_);
  consume_ = 0;
  while (true) {
    const Cut cut = Scan(input_.Window(), scan_);
    if (cut.kind == Cut::Kind::kBroken) return Status::kBroken;
    if (cut.kind == Cut::Kind::kRecord) return Emit(cut, record);
    if (begin_ == Cut::kNotStarted) begin_ = cut.begin;
    scan_ = cut.scanned;
    Bound();
    const InputBuffer::Fill fill = input_.FillMore();
    if (fill == InputBuffer::Fill::kError) return Status::kError;
    if (fill == InputBuffer::Fill::kData) continue;
    if (!complete_) return Status::kPending;
    const Cut last = Finish(input_.Window(), begin_ != Cut::kNotStarted || skipping_);
    if (last.kind == Cut::Kind::kBroken) return Status::kBroken;
    if (last.kind == Cut::Kind::kRecord) return Emit(last, record);
    return Status::kEnd;
  }
}

void ScanningSplitter::Broken(std::string reason, int line) {
  broken_reason_ = std::move(reason);
  broken_line_ = line;
}

void ScanningSplitter::Bound() {
  if (begin_ == Cut::kNotStarted || skipping_) {
    input_.Consume(scan_);
    scan_ = 0;
    if (skipping_) begin_ = 0;
    return;
  }
  if (scan_ - begin_ <= max_record_) return;
  const std::string_view window = input_.Window();
  kept_.assign(window.substr(begin_, std::min(kKeptPrefix, scan_ - begin_)));
  skipping_ = true;
  input_.Consume(scan_);
  scan_ = 0;
  begin_ = 0;
}

RecordSplitter::Status ScanningSplitter::Emit(const Cut& cut, RawRecord& record) {
  const std::size_t begin = begin_ != Cut::kNotStarted ? begin_ : cut.begin;
  const std::string_view window = input_.Window();
  const std::string_view text = window.substr(begin, cut.end - begin);
  record.too_long = skipping_ || text.size() > max_record_;
  if (skipping_) {
    record.text = kept_;
  } else {
    record.text = record.too_long ? text.substr(0, kKeptPrefix) : text;
  }
  record.line = cut.line;
  record.end = InputPosition{input_.Offset() + cut.next, cut.next_line};
  consume_ = cut.next;
  scan_ = 0;
  begin_ = Cut::kNotStarted;
  skipping_ = false;
  return Status::kRecord;
}

}  // namespace leadsync
