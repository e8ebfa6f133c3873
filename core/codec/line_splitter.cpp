#include <cstring>

#include "core/codec/scanning_splitter.hpp"

// JSONL: a record is a line; blank lines are records the decoder skips.

namespace leadsync {
namespace {

class LineSplitter final : public ScanningSplitter {
 public:
  LineSplitter(InputBuffer& input, std::size_t max_record, int line)
      : ScanningSplitter(input, max_record), line_(line) {}

 private:
  Cut Scan(std::string_view window, std::size_t from) override {
    Cut cut;
    if (from == 0 && !window.empty()) cut.begin = 0;
    const void* newline = std::memchr(window.data() + from, '\n', window.size() - from);
    if (newline == nullptr) {
      cut.scanned = window.size();
      return cut;
    }
    cut.kind = Cut::Kind::kRecord;
    cut.end = static_cast<std::size_t>(static_cast<const char*>(newline) - window.data());
    cut.next = cut.end + 1;
    cut.line = line_++;
    cut.next_line = line_;
    return cut;
  }

  Cut Finish(std::string_view window, bool started) override {
    Cut cut;
    if (!started) return cut;
    cut.kind = Cut::Kind::kRecord;
    cut.begin = 0;
    cut.end = window.size();
    cut.next = window.size();
    cut.line = line_;
    cut.next_line = line_;
    return cut;
  }

  int line_;
};

}  // namespace

std::unique_ptr<RecordSplitter> MakeLineSplitter(InputBuffer& input, std::size_t max_record,
                                                 InputPosition start) {
  return std::make_unique<LineSplitter>(input, max_record, start.line);
}

}  // namespace leadsync
