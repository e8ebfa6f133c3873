#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/codec/readers.hpp"
#include "core/name_index.hpp"

namespace leadsync {
namespace {

bool Blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

struct CsvRecord {
  std::vector<std::string> cells;  // trimmed
  bool unterminated = false;       // a quoted cell ran to the end of the text
};

// Splits the text of one RFC 4180 record into cells: quoted cells may hold
// commas, doubled quotes and line breaks. The record's end was found by the
// CSV splitter, which agrees with this reader on where quotes open.
class CellReader final {
 public:
  explicit CellReader(std::string_view text) : text_(text) {}

  CsvRecord Read() {
    CsvRecord record;
    while (true) {
      record.cells.push_back(Trim(ReadCell(record)));
      if (pos_ >= text_.size()) return record;
      ++pos_;  // the comma
    }
  }

 private:
  // Reads up to (not past) the ',' that ends the cell.
  std::string ReadCell(CsvRecord& record) {
    std::string cell;
    // Whether the cell so far is blanks only, kept as it grows: testing
    // the whole cell at each quote made a cell of quotes quadratic.
    bool blank = true;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ',') break;
      ++pos_;
      if (c == '"' && blank) {
        cell.clear();
        if (!ReadQuoted(cell)) record.unterminated = true;
        blank = std::all_of(cell.begin(), cell.end(), Blank);
      } else if (c != '\r' || (pos_ < text_.size() && text_[pos_] != '\n')) {
        cell.push_back(c);
        blank = blank && Blank(c);
      }
    }
    return cell;
  }

  // After an opening quote: reads to the closing one.
  bool ReadQuoted(std::string& cell) {
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ >= text_.size() || text_[pos_] != '"') return true;
        ++pos_;
      }
      cell.push_back(c);
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// A header cell: an attribute, or a field of a custom field set.
struct Column {
  std::string name;    // attribute or field set name
  std::string field;   // empty for a plain attribute
  std::string header;  // as written in the file
};

// The whole header name is renamed first; failing that, the set part of a
// "Set.Field" header is.
std::optional<Column> MapColumn(const std::string& header, const FieldMap& fields) {
  auto whole = fields.find(header);
  std::string name = whole == fields.end() ? header : whole->second;
  Column column{Trim(name), "", header};
  if (std::size_t dot = name.find('.'); dot != std::string::npos) {
    column.name = Trim(name.substr(0, dot));
    column.field = Trim(name.substr(dot + 1));
    if (column.field.empty()) return std::nullopt;
    auto set = fields.find(column.name);
    if (whole == fields.end() && set != fields.end()) column.name = set->second;
  }
  if (column.name.empty()) return std::nullopt;
  return column;
}

// An open quote takes every later row into its cell: say how far it ran, so
// that one rejection is not mistaken for one bad row.
std::string Unterminated(const RawRecord& raw) {
  std::string_view text = raw.text;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (lines == 1) return "unterminated quoted field";
  return "unterminated quoted field: the quote runs to the end of the input, lines " +
         std::to_string(raw.line) + "-" + std::to_string(raw.line + lines - 1) + " (" +
         std::to_string(lines) + " lines) in one rejection";
}

ParseError CsvError(int line, std::string reason, std::string_view category = reject::kInvalidCsv) {
  return ParseError{line, std::move(reason), std::string(category)};
}

class CsvDecoder final : public RecordDecoder {
 public:
  CsvDecoder(const FieldMap& fields, const ParseLimits& limits, EmptyValues empty)
      : fields_(fields), limits_(limits), empty_(empty) {}

  Decoded Decode(const RawRecord& raw) override {
    Decoded out;
    if (dead_ || Trim(raw.text).empty()) return out;
    out.kind = Decoded::Kind::kError;
    if (raw.too_long) {
      out.error = CsvError(raw.line, TooLongReason(limits_), reject::kTooLong);
      dead_ = !columns_;
      if (dead_) out.error.reason = "header: " + out.error.reason;
      return out;
    }
    const CsvRecord record = CellReader(raw.text).Read();
    if (!columns_) return Header(raw.line, record);
    std::optional<ParseError> error = CheckShape(raw, record);
    if (!error) error = ReadRow(raw.line, record, out.lead);
    if (error) {
      out.error = std::move(*error);
    } else {
      out.kind = Decoded::Kind::kLead;
    }
    return out;
  }

 private:
  // The first record names the columns. A bad header makes every row
  // unreadable: one error, and the rest of the input is passed over.
  Decoded Header(int line, const CsvRecord& header) {
    Decoded out;
    std::string error = header.unterminated ? "header: unterminated quoted field" : "";
    std::vector<Column> columns;
    NameIndex seen;
    for (std::size_t i = 0; i < header.cells.size() && error.empty(); ++i) {
      const std::string& cell = header.cells[i];
      std::optional<Column> column = MapColumn(cell, fields_);
      if (!column) {
        error = "header: column " + std::to_string(i + 1) + " has an empty name ('" + cell + "')";
      } else if (seen.Insert(column->name + '\x1f' + column->field, i) != i) {
        error = "header: duplicate column '" + cell + "'";
      } else {
        columns.push_back(std::move(*column));
      }
    }
    if (error.empty()) {
      columns_ = std::move(columns);
      return out;
    }
    dead_ = true;
    out.kind = Decoded::Kind::kError;
    out.error = CsvError(line, std::move(error));
    return out;
  }

  std::optional<ParseError> CheckShape(const RawRecord& raw, const CsvRecord& row) const {
    const int line = raw.line;
    if (row.unterminated) return CsvError(line, Unterminated(raw));
    if (row.cells.size() == columns_->size()) return std::nullopt;
    return CsvError(line, "expected " + std::to_string(columns_->size()) + " columns, got " +
                              std::to_string(row.cells.size()));
  }

  std::optional<ParseError> ReadRow(int line, const CsvRecord& row, Lead& lead) const {
    int count = 0;
    bool any_value = false;
    for (std::size_t i = 0; i < columns_->size(); ++i) {
      const std::string& cell = row.cells[i];
      const Column& column = (*columns_)[i];
      if (cell.empty() && empty_ == EmptyValues::kSkip) continue;
      any_value = any_value || !cell.empty();
      if (++count > limits_.max_attributes) {
        return CsvError(line, TooManyAttributesReason(limits_), reject::kTooManyAttributes);
      }
      if (!simdjson::validate_utf8(cell)) {
        return CsvError(line, "field '" + column.header + "': invalid UTF-8", reject::kNotUtf8);
      }
      if (column.field.empty()) {
        lead.Put(Attribute{column.name, cell});
      } else {
        lead.AppendField(column.name, Field{column.field, cell});
      }
    }
    if (!any_value) return CsvError(line, "empty record", reject::kBadValue);
    RenameSearchBy(lead, fields_);
    return std::nullopt;
  }

  FieldMap fields_;
  ParseLimits limits_;
  EmptyValues empty_;
  std::optional<std::vector<Column>> columns_;
  bool dead_ = false;  // the header was bad
};

}  // namespace

std::unique_ptr<RecordDecoder> MakeCsvDecoder(const FieldMap& fields, const ParseLimits& limits,
                                              EmptyValues empty) {
  return std::make_unique<CsvDecoder>(fields, limits, empty);
}

}  // namespace leadsync
