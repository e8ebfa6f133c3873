#include <simdjson.h>

#include <algorithm>
#include <optional>

#include "core/codec/readers.hpp"

namespace leadsync {
namespace {

struct CsvRecord {
  std::vector<std::string> cells;  // trimmed
  int line = 0;                    // physical line where the record starts
  bool unterminated = false;       // a quoted cell ran to the end of the text
};

// Splits RFC 4180 text into records: quoted cells may hold commas, doubled
// quotes and line breaks; CRLF or LF; blank lines are skipped.
class CsvScanner final {
 public:
  explicit CsvScanner(std::string_view text) : text_(text) {}

  // False at the end of the text.
  bool Next(CsvRecord& record) {
    SkipBlankLines();
    if (pos_ >= text_.size()) return false;
    record = CsvRecord{{}, line_, false};
    while (true) {
      record.cells.push_back(Trim(ReadCell(record)));
      if (pos_ >= text_.size()) return true;
      char c = text_[pos_++];
      if (c == '\n') {
        ++line_;
        return true;
      }
    }
  }

 private:
  void SkipBlankLines() {
    while (pos_ < text_.size()) {
      std::size_t end = std::min(text_.find('\n', pos_), text_.size());
      if (!Trim(text_.substr(pos_, end - pos_)).empty()) return;
      pos_ = end + 1;
      if (end < text_.size()) ++line_;
    }
  }

  // Reads up to (not past) the ',' or '\n' that ends the cell.
  std::string ReadCell(CsvRecord& record) {
    std::string cell;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ',' || c == '\n') break;
      ++pos_;
      if (c == '"' && Trim(cell).empty()) {
        cell.clear();
        if (!ReadQuoted(cell)) record.unterminated = true;
      } else if (c != '\r' || (pos_ < text_.size() && text_[pos_] != '\n')) {
        cell.push_back(c);
      }
    }
    return cell;
  }

  // After an opening quote: reads to the closing one.
  bool ReadQuoted(std::string& cell) {
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ >= text_.size() || text_[pos_] != '"') return true;
        ++pos_;
      } else if (c == '\n') {
        ++line_;
      }
      cell.push_back(c);
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
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

bool SameColumn(const Column& a, const Column& b) {
  return NamesEqual(a.name, b.name) && NamesEqual(a.field, b.field);
}

std::optional<std::vector<Column>> ReadHeader(const CsvRecord& header, const FieldMap& fields,
                                              std::string& error) {
  std::vector<Column> columns;
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    const std::string& cell = header.cells[i];
    std::optional<Column> column = MapColumn(cell, fields);
    if (!column) {
      error = "header: column " + std::to_string(i + 1) + " has an empty name ('" + cell + "')";
      return std::nullopt;
    }
    if (std::any_of(columns.begin(), columns.end(),
                    [&](const Column& c) { return SameColumn(c, *column); })) {
      error = "header: duplicate column '" + cell + "'";
      return std::nullopt;
    }
    columns.push_back(std::move(*column));
  }
  return columns;
}

std::optional<Lead> ReadRow(const CsvRecord& row, const std::vector<Column>& columns, std::string& error) {
  Lead lead;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string& cell = row.cells[i];
    const Column& column = columns[i];
    if (cell.empty()) continue;
    if (!simdjson::validate_utf8(cell)) {
      error = "field '" + column.header + "': invalid UTF-8";
      return std::nullopt;
    }
    if (column.field.empty()) {
      lead.Put(Attribute{column.name, cell});
    } else {
      lead.Put(Attribute{column.name, "", true, {Field{column.field, cell}}});
    }
  }
  if (lead.empty()) error = "empty record";
  return lead.empty() ? std::nullopt : std::optional<Lead>(std::move(lead));
}

void AddRow(const CsvRecord& row, const std::vector<Column>& columns, ParseOutput& out) {
  std::string error;
  std::optional<Lead> lead;
  if (row.unterminated) {
    error = "unterminated quoted field";
  } else if (row.cells.size() != columns.size()) {
    error =
        "expected " + std::to_string(columns.size()) + " columns, got " + std::to_string(row.cells.size());
  } else {
    lead = ReadRow(row, columns, error);
  }
  if (lead) {
    out.leads.push_back(ParsedLead{std::move(*lead), row.line});
  } else {
    out.errors.push_back(ParseError{row.line, std::move(error)});
  }
}

}  // namespace

// A bad header makes every row unreadable: one error, no leads.
ParseOutput ParseCsv(std::string_view text, const FieldMap& fields) {
  ParseOutput out;
  CsvScanner scanner(text);
  CsvRecord record;
  if (!scanner.Next(record)) return out;
  std::string error = record.unterminated ? "header: unterminated quoted field" : "";
  std::optional<std::vector<Column>> columns;
  if (error.empty()) columns = ReadHeader(record, fields, error);
  if (!columns) {
    out.errors.push_back(ParseError{record.line, std::move(error)});
    return out;
  }
  while (scanner.Next(record)) AddRow(record, *columns, out);
  return out;
}

}  // namespace leadsync
