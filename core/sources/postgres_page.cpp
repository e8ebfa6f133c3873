#include "core/sources/postgres_page.hpp"

#include <algorithm>
#include <functional>
#include <string_view>

#include "core/codec/api_body.hpp"
#include "core/lead.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/pg_connection.hpp"
#include "core/sources/pg_values.hpp"
#include "core/sources/postgres_cursor.hpp"
#include "core/sources/postgres_query.hpp"

namespace leadsync {

// Where one result column goes in a lead.
struct PageColumn {
  int index = 0;
  unsigned type = 0;
  std::string name;       // as the result names it
  std::string attribute;  // or the custom field set
  std::string field;      // empty for a plain attribute
};

struct PageLayout {
  std::vector<PageColumn> columns;
  std::vector<int> cursor;  // result indexes of the cursor columns
  std::optional<int> settled;
  std::string error;
};

namespace {

constexpr std::int64_t kFirstFetch = 10;  // rows asked for before any size is known
constexpr std::int64_t kMaxFetch = 1000;  // rows asked for at once, at most

// The whole name is renamed first; failing that, the set part of "Set.Field".
PageColumn MapColumn(const PgResult& result, int index, const config::Source& source) {
  PageColumn column{index, result.ColumnType(index), std::string(result.ColumnName(index)), "", ""};
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

PageLayout ReadLayout(const PgResult& result, const config::Source& source) {
  const auto& settings = std::get<config::PostgresSettings>(source.settings);
  PageLayout layout;
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

std::optional<CursorValues> Position(const PgResult& result, const PageLayout& layout, int row) {
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
  RowReader(const PgResult& result, const PageLayout& layout, const config::Source& source)
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
      out.lead = IncomingLead{*std::move(key), source_.name, std::move(lead), PriorityOf(source_)};
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
    for (const PageColumn& column : layout_.columns) {
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

  static void Put(Lead& lead, const PageColumn& column, std::string value) {
    if (column.field.empty()) {
      lead.Put(Attribute{column.attribute, std::move(value)});
    } else {
      lead.Put(Attribute{column.attribute, "", true, {Field{column.field, std::move(value)}}});
    }
  }

  const PgResult& result_;
  const PageLayout& layout_;
  const config::Source& source_;
};

std::uint64_t RowBytes(const PgResult& result, int row) {
  std::uint64_t bytes = 0;
  for (int i = 0; i < result.columns(); ++i) bytes += result.Value(row, i).size();
  return bytes;
}

}  // namespace

PageReader::PageReader(const config::Source& source, std::optional<std::int64_t> page_size,
                       std::uint64_t max_bytes)
    : source_(source), page_size_(page_size), max_bytes_(max_bytes) {}

PageReader::~PageReader() = default;

bool PageReader::Add(const PgResult& row) {
  if (!layout_) layout_ = std::make_unique<PageLayout>(ReadLayout(row, source_));
  return layout_->error.empty() && Take(row);
}

bool PageReader::Take(const PgResult& row) {
  const std::optional<CursorValues> position = Position(row, *layout_, 0);
  if (!position) {
    page_.error =
        "a cursor column is NULL in a row: cursor columns must never be NULL (leave such rows out "
        "in the query's WHERE)";
    return false;
  }
  std::string encoded = EncodeCursor(*position);
  if (page_.returned == 0) page_.first_position = encoded;
  page_.one_value = (page_.returned == 0 || page_.one_value) && encoded == page_.first_position;
  ++page_.returned;
  const std::uint64_t bytes = RowBytes(row, 0);
  page_.bytes += bytes;
  largest_row_ = std::max(largest_row_, bytes);
  settling_ = settling_ || (layout_->settled && row.Value(0, *layout_->settled) != "t");
  if (!settling_) page_.rows.push_back(RowReader(row, *layout_, source_).Read(0, std::move(encoded)));
  page_.cut = page_.bytes >= max_bytes_;
  return !page_.cut;
}

std::int64_t PageReader::RowsToFetch() const {
  if (page_.returned == 0) return kFirstFetch;
  const std::uint64_t room = max_bytes_ > page_.bytes ? max_bytes_ - page_.bytes : 0;
  const std::uint64_t fit = room / std::max<std::uint64_t>(largest_row_, 1) + 1;
  return static_cast<std::int64_t>(std::min<std::uint64_t>(fit, kMaxFetch));
}

Page PageReader::Finish(const PgResult& columns) {
  if (!layout_) layout_ = std::make_unique<PageLayout>(ReadLayout(columns, source_));
  if (!layout_->error.empty()) page_.error = layout_->error;
  page_.full = page_.cut || (page_size_ && page_.returned >= *page_size_);
  return std::move(page_);
}

}  // namespace leadsync
