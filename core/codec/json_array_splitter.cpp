#include "core/codec/scanning_splitter.hpp"

// A JSON file: one array whose elements are records. Only the array's own
// structure is checked here (brackets, strings, commas); each element is
// parsed on its own by the decoder, so an element that is not valid JSON is
// rejected alone while a broken structure ends the input.

namespace leadsync {
namespace {

bool Whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class JsonArraySplitter final : public ScanningSplitter {
 public:
  JsonArraySplitter(InputBuffer& input, std::size_t max_record, InputPosition start)
      : ScanningSplitter(input, max_record), line_(start.line) {
    // A checkpoint lies just after an element.
    if (start.offset > 0) state_ = State::kAfter;
  }

 private:
  enum class State { kOpen, kFirst, kNext, kElement, kAfter, kDone };
  enum class Step { kGo, kEndAfter, kEndBefore, kBroken };

  Cut Scan(std::string_view window, std::size_t from) override {
    Cut cut;
    for (std::size_t i = from; i < window.size(); ++i) {
      const Step step = Advance(window[i], i, cut);
      if (step == Step::kBroken) {
        cut.kind = Cut::Kind::kBroken;
        return cut;
      }
      if (step == Step::kEndBefore) return Record(cut, i);
      if (window[i] == '\n') ++line_;
      if (step == Step::kEndAfter) return Record(cut, i + 1);
    }
    cut.scanned = window.size();
    return cut;
  }

  Cut Finish(std::string_view /*window*/, bool /*started*/) override {
    Cut cut;
    if (state_ == State::kOpen || state_ == State::kDone) return cut;
    Broken("invalid JSON: the array is not closed", line_);
    cut.kind = Cut::Kind::kBroken;
    return cut;
  }

  Step Advance(char c, std::size_t at, Cut& cut) {
    if (state_ == State::kElement) return InElement(c);
    if (Whitespace(c)) return Step::kGo;
    switch (state_) {
      case State::kOpen:
        if (c == '[') state_ = State::kFirst;
        return c == '[' ? Step::kGo : Fail("expected a JSON array of leads");
      case State::kFirst:
        if (c == ']') {
          state_ = State::kDone;
          return Step::kGo;
        }
        return Begin(c, at, cut);
      case State::kNext:
        return Begin(c, at, cut);
      case State::kAfter:
        if (c == ',' || c == ']') state_ = c == ',' ? State::kNext : State::kDone;
        return c == ',' || c == ']' ? Step::kGo : Fail("invalid JSON: missing ',' between elements");
      case State::kDone:
        return Fail("invalid JSON: text after the array");
      case State::kElement:
        break;
    }
    return Step::kGo;
  }

  Step Begin(char c, std::size_t at, Cut& cut) {
    if (c == ',' || c == ']') return Fail("invalid JSON: an element is missing");
    state_ = State::kElement;
    cut.begin = at;
    element_line_ = line_;
    depth_ = 0;
    in_string_ = c == '"';
    escaped_ = false;
    scalar_ = c != '"' && c != '{' && c != '[';
    if (c == '{' || c == '[') depth_ = 1;
    return Step::kGo;
  }

  Step InElement(char c) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (depth_ == 0) return Step::kEndAfter;
      }
      return Step::kGo;
    }
    if (scalar_ && (c == ',' || c == ']' || c == '}' || Whitespace(c))) return Step::kEndBefore;
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0 && !scalar_) return Step::kEndAfter;
    }
    return Step::kGo;
  }

  Cut Record(Cut cut, std::size_t end) {
    cut.kind = Cut::Kind::kRecord;
    cut.end = end;
    cut.next = end;
    cut.line = element_line_;
    cut.next_line = line_;
    state_ = State::kAfter;
    return cut;
  }

  Step Fail(const char* reason) {
    Broken(reason, line_);
    return Step::kBroken;
  }

  int line_;
  State state_ = State::kOpen;
  int element_line_ = 0;
  long depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool scalar_ = false;  // a number, true, false, null (or junk) at the top level
};

}  // namespace

std::unique_ptr<RecordSplitter> MakeJsonArraySplitter(InputBuffer& input, std::size_t max_record,
                                                      InputPosition start) {
  return std::make_unique<JsonArraySplitter>(input, max_record, start);
}

}  // namespace leadsync
