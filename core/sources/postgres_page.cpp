#include "core/sources/postgres_page.hpp"

#include <functional>
#include <string_view>

#include "core/codec/api_body.hpp"
#include "core/lead.hpp"
#include "core/sources/pg_connection.hpp"
#include "core/sources/pg_values.hpp"
#include "core/sources/postgres_cursor.hpp"
#include "core/sources/postgres_query.hpp"

namespace leadsync {
namespace {

// Where one result column goes in a lead.
struct Column {
  int index = 0;
  unsigned type = 0;
  std::string name;       // as the result names it
  std::string attribute;  // or the custom field set
  std::string field;      // empty for a plain attribute
};

struct Layout {
  std::vector<Column> columns;
  std::vector<int> cursor;  // result indexes of the cursor columns
  std::optional<int> settled;
  std::string error;
};

// The whole name is renamed first; failing that, the set part of "Set.Field".
Column MapColumn(const PgResult& result, int index, const config::Source& source) {
  Column column{index, result.ColumnType(index), std::string(result.ColumnName(index)), "", ""};
  const auto whole = source.fields.find(column.name);
  const std::string name = whole == source.fields.end() ? column.name : whole->second;
  column.attribute = name;
  if (const std::size_t dot = name.find('.'); dot != std::string::npos && dot > 0 && dot + 1 < name.size()) {
    column.attribute = name.substr(0, dot);
    column.field = name.substr(dot + 1);
    const auto set = source.fields.find(column.attribute);
    if (whole == source.fields.end() && set != source.fields.end()) column.attribute = set->second;
  }
  return column;
}

std::optional<int> FindColumn(const PgResult& result, std::string_view name) {
  for (int i = 0; i < result.columns(); ++i) {
    if (result.ColumnName(i) == name) return i;
  }
  return std::nullopt;
}

Layout ReadLayout(const PgResult& result, const config::Source& source) {
  const auto& settings = std::get<config::PostgresSettings>(source.settings);
  Layout layout;
  if (settings.cursor_delay.count() > 0) layout.settled = result.columns() - 1;
  for (const std::string& name : settings.cursor) {
    const std::optional<int> index = FindColumn(result, name);
    if (!index || index == layout.settled) {
      layout.error = "the query's result has no column \"" + name +
                     "\" (a cursor column; result names are lower case unless quoted)";
      return layout;
    }
    layout.cursor.push_back(*index);
  }
  for (int i = 0; i < result.columns(); ++i) {
    if (i != layout.settled) layout.columns.push_back(MapColumn(result, i, source));
  }
  return layout;
}

std::optional<CursorValues> Position(const PgResult& result, const Layout& layout, int row) {
  CursorValues values;
  for (const int index : layout.cursor) {
    if (result.IsNull(row, index)) return std::nullopt;
    values.emplace_back(std::string(result.Value(row, index)));
  }
  return values;
}

std::size_t Fingerprint(const PgResult& result, int row) {
  std::string text;
  for (int i = 0; i < result.columns(); ++i) {
    text += result.IsNull(row, i) ? std::string_view("\x01") : result.Value(row, i);
    text.push_back('\0');
  }
  return std::hash<std::string>{}(text);
}

class RowReader final {
 public:
  RowReader(const PgResult& result, const Layout& layout, const config::Source& source)
      : result_(result), layout_(layout), source_(source) {}

  PageRow Read(int row, std::string position) const {
    PageRow out{std::move(position), Fingerprint(result_, row), std::nullopt, std::nullopt};
    std::string error;
    std::string category;
    Lead lead = Convert(row, error, category);
    if (error.empty() && source_.search_by && lead.Find("SearchBy") == nullptr) {
      lead.Set("SearchBy", *source_.search_by);
    }
    std::optional<std::string> key;
    if (error.empty()) {
      key = LeadKey(lead, &error);
      category = "no_key";
    }
    if (key) {
      out.lead = IncomingLead{*std::move(key), source_.name, std::move(lead)};
    } else {
      out.rejection =
          Rejection{source_.name, "", "cursor " + out.position, error, EncodeRecord(lead), category};
    }
    return out;
  }

 private:
  Lead Convert(int row, std::string& error, std::string& category) const {
    Lead lead;
    std::uint64_t bytes = 0;
    for (const Column& column : layout_.columns) {
      if (result_.IsNull(row, column.index)) continue;  // NULL never clears a field
      std::string problem;
      std::optional<std::string> value =
          LeadSquaredValue(column.type, result_.Value(row, column.index), problem);
      if (!value) {
        error = "column '" + column.name + "': " + problem;
        category = "bad_value";
        return lead;
      }
      bytes += value->size();
      Put(lead, column, *std::move(value));
    }
    if (bytes > source_.max_line_length) {
      error = "row of " + std::to_string(bytes) + " bytes, over max_line_length";
      category = "too_long";
    } else if (lead.attributes().size() > static_cast<std::size_t>(source_.max_attributes)) {
      error = "row of " + std::to_string(lead.attributes().size()) + " attributes, over max_attributes";
      category = "too_many_attributes";
    }
    return lead;
  }

  static void Put(Lead& lead, const Column& column, std::string value) {
    if (column.field.empty()) {
      lead.Put(Attribute{column.attribute, std::move(value)});
    } else {
      lead.Put(Attribute{column.attribute, "", true, {Field{column.field, std::move(value)}}});
    }
  }

  const PgResult& result_;
  const Layout& layout_;
  const config::Source& source_;
};

}  // namespace

Page ReadPage(const PgResult& result, const config::Source& source, std::optional<std::int64_t> page_size) {
  Page page;
  const Layout layout = ReadLayout(result, source);
  if (!layout.error.empty()) {
    page.error = layout.error;
    return page;
  }
  page.returned = result.rows();
  page.full = page_size && page.returned >= *page_size;
  page.one_value = page.returned > 0;
  const RowReader reader(result, layout, source);
  bool settling = false;
  for (int row = 0; row < result.rows(); ++row) {
    const std::optional<CursorValues> position = Position(result, layout, row);
    if (!position) {
      page.error =
          "a cursor column is NULL in a row: cursor columns must never be NULL (leave such rows out "
          "in the query's WHERE)";
      return page;
    }
    std::string encoded = EncodeCursor(*position);
    if (row == 0) page.first_position = encoded;
    page.one_value = page.one_value && encoded == page.first_position;
    settling = settling || (layout.settled && result.Value(row, *layout.settled) != "t");
    if (!settling) page.rows.push_back(reader.Read(row, std::move(encoded)));
  }
  return page;
}

}  // namespace leadsync
