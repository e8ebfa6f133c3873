#include <algorithm>

#include "core/codec/json_record.hpp"
#include "core/codec/readers.hpp"

namespace leadsync {
namespace {

namespace od = simdjson::ondemand;

// Physical line (1-based) of a position in a text, for positions asked in
// increasing order (any order works, only slower).
class LineCounter final {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}

  int LineAt(const char* position) {
    auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(position - text_.data(), 0));
    offset = std::min(offset, text_.size());
    if (offset < offset_) {
      offset_ = 0;
      line_ = 1;
    }
    line_ += static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(offset_),
                                         text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    offset_ = offset;
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  int line_ = 1;
};

ParseOutput Unreadable(int line, std::string reason) {
  ParseOutput out;
  out.errors.push_back(ParseError{line, std::move(reason)});
  return out;
}

// Where a syntax error was found: simdjson's current position when it knows
// one, else the start of the record being read.
int ErrorLine(od::document& doc, LineCounter& lines, int fallback) {
  const char* at = nullptr;
  if (doc.current_location().get(at) != simdjson::SUCCESS || at == nullptr) return fallback;
  return lines.LineAt(at);
}

}  // namespace

ParseOutput ParseJsonLines(std::string_view text, const FieldMap& fields) {
  ParseOutput out;
  od::parser parser;
  int line = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view content = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (Trim(content).empty()) continue;
    JsonRecord record = ReadJsonDocument(parser, content, fields);
    if (record.lead) {
      out.leads.push_back(ParsedLead{std::move(*record.lead), line});
    } else {
      out.errors.push_back(ParseError{line, std::move(record.error)});
    }
  }
  return out;
}

// A syntax error anywhere makes the whole file unreadable: no lead of a
// broken file is ingested, since what follows the error cannot be trusted.
ParseOutput ParseJsonArray(std::string_view text, const FieldMap& fields) {
  if (Trim(text).empty()) return {};
  simdjson::padded_string padded(text);
  LineCounter lines(padded);
  od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return Unreadable(1, JsonSyntaxError(e));
  od::array array;
  if (auto e = doc.get_array().get(array)) {
    return Unreadable(1,
                      e == simdjson::INCORRECT_TYPE ? "expected a JSON array of leads" : JsonSyntaxError(e));
  }
  ParseOutput out;
  int line = 1;
  for (auto element : array) {
    od::value value;
    if (auto e = element.get(value)) return Unreadable(ErrorLine(doc, lines, line), JsonSyntaxError(e));
    line = lines.LineAt(value.raw_json_token().data());
    JsonRecord record = ReadJsonRecord(value, fields);
    if (record.syntax) return Unreadable(ErrorLine(doc, lines, line), std::move(record.error));
    if (record.lead) {
      out.leads.push_back(ParsedLead{std::move(*record.lead), line});
    } else {
      out.errors.push_back(ParseError{line, std::move(record.error)});
    }
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return Unreadable(ErrorLine(doc, lines, line), JsonSyntaxError(simdjson::TRAILING_CONTENT));
  }
  return out;
}

}  // namespace leadsync
