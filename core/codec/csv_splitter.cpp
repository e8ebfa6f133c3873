#include <cctype>

#include "core/codec/scanning_splitter.hpp"

// CSV (RFC 4180): a record ends at a line break outside quotes. A quote
// opens a quoted section only at the start of a cell (after blanks), as the
// row reader in csv_reader.cpp reads it, so both agree on where rows end.

namespace leadsync {
namespace {

bool Blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

class CsvSplitter final : public ScanningSplitter {
 public:
  CsvSplitter(InputBuffer& input, std::size_t max_record, int line)
      : ScanningSplitter(input, max_record), line_(line) {}

 private:
  enum class State { kCell, kQuoted, kQuoteInQuoted };

  Cut Scan(std::string_view window, std::size_t from) override {
    Cut cut;
    if (from == 0 && !window.empty()) cut.begin = 0;
    for (std::size_t i = from; i < window.size(); ++i) {
      if (Step(window[i])) return Record(cut, i);
    }
    cut.scanned = window.size();
    return cut;
  }

  Cut Finish(std::string_view window, bool started) override {
    Cut cut;
    if (!started) return cut;
    cut.begin = 0;
    Cut last = Record(cut, window.size());
    last.next = window.size();
    return last;
  }

  // True when `c` ends the record.
  bool Step(char c) {
    switch (state_) {
      case State::kQuoteInQuoted:
        if (c == '"') {
          quoted_blank_ = false;
          state_ = State::kQuoted;
          return false;
        }
        // The quoted part has ended; `c` belongs to the rest of the cell.
        state_ = State::kCell;
        cell_blank_ = quoted_blank_;
        return Step(c);
      case State::kQuoted:
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
        } else {
          if (c == '\n') ++inner_lines_;
          quoted_blank_ = quoted_blank_ && Blank(c);
        }
        return false;
      case State::kCell:
        break;
    }
    if (c == '\n') return true;
    if (c == ',') {
      cell_blank_ = true;
    } else if (c == '"' && cell_blank_) {
      state_ = State::kQuoted;
      quoted_blank_ = true;
    } else {
      cell_blank_ = cell_blank_ && Blank(c);
    }
    return false;
  }

  Cut Record(Cut cut, std::size_t end) {
    cut.kind = Cut::Kind::kRecord;
    cut.end = end;
    cut.next = end + 1;
    cut.line = line_;
    line_ += inner_lines_ + 1;
    cut.next_line = line_;
    state_ = State::kCell;
    cell_blank_ = true;
    inner_lines_ = 0;
    return cut;
  }

  int line_;
  State state_ = State::kCell;
  bool cell_blank_ = true;    // the cell so far is blanks only
  bool quoted_blank_ = true;  // the quoted part so far is blanks only
  int inner_lines_ = 0;       // line breaks inside quotes in this record
};

}  // namespace

std::unique_ptr<RecordSplitter> MakeCsvSplitter(InputBuffer& input, std::size_t max_record,
                                                InputPosition start) {
  return std::make_unique<CsvSplitter>(input, max_record, start.line);
}

}  // namespace leadsync
