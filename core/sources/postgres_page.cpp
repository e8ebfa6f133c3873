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

// One result column: where it is and how its values convert.
struct PageColumn {
  int index = 0;
  unsigned type = 0;
  std::string name;  // as the result names it
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

PageColumn MapColumn(const PgResult& result, int index) {
  return PageColumn{index, result.ColumnType(index), std::string(result.ColumnName(index))};
}

// As a CSV header: "Set.Field" names a field of a custom field set.
void Put(Lead& lead, const std::string& name, std::string value) {
  const std::size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
    lead.Put(Attribute{name, std::move(value)});
    return;
  }
  lead.Put(Attribute{name.substr(0, dot), "", true, {Field{name.substr(dot + 1), std::move(value)}}});
}

std::optional<int> FindColumn(const PgResult& result, std::string_view name) {
  for (int i = 0; i < result.columns(); ++i) {
    if (result.ColumnName(i) == name) return i;
  }
  return std::nullopt;
}

PageLayout ReadLayout(const PgResult& result, const PostgresOptions& settings) {
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
    if (i != layout.settled) layout.columns.push_back(MapColumn(result, i));
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
  RowReader(const PgResult& result, const PageLayout& layout, const IngestOptions& options)
      : result_(result), layout_(layout), options_(options) {}

  PageRow Read(int row, std::string position) const {
    PageRow out{std::move(position), Fingerprint(result_, row), std::nullopt, std::nullopt};
    const std::string label = "cursor " + out.position;
    IngestBatch batch;
    std::optional<ParseError> error;
    Lead lead = Convert(row, error);
    if (error) {
      batch.rejections.push_back(RejectAt(options_, label, *std::move(error), EncodeRecord(lead)));
    } else {
      AddLead(std::move(lead), RecordPlace{label}, "", options_, batch);
    }
    if (!batch.leads.empty()) out.lead = std::move(batch.leads.front());
    if (!batch.rejections.empty()) out.rejection = std::move(batch.rejections.front());
    return out;
  }

 private:
  // The row as its reader sees it: a value LeadSquared cannot take, or one
  // over the caps, is an error.
  Lead Convert(int row, std::optional<ParseError>& error) const {
    Lead lead;
    std::uint64_t bytes = 0;
    for (const PageColumn& column : layout_.columns) {
      if (result_.IsNull(row, column.index)) continue;  // NULL never clears a field
      std::string problem;
      std::optional<std::string> value =
          LeadSquaredValue(column.type, result_.Value(row, column.index), &problem);
      if (!value) {
        error = ParseError{0, "column '" + column.name + "': " + problem, std::string(reject::kBadValue)};
        return lead;
      }
      bytes += value->size();
      Put(lead, column.name, *std::move(value));
    }
    error = CheckCaps(bytes, lead.attributes().size(), options_.limits);
    return lead;
  }

  const PgResult& result_;
  const PageLayout& layout_;
  const IngestOptions& options_;
};

std::uint64_t RowBytes(const PgResult& result, int row) {
  std::uint64_t bytes = 0;
  for (int i = 0; i < result.columns(); ++i) bytes += result.Value(row, i).size();
  return bytes;
}

}  // namespace

PageReader::PageReader(const PostgresOptions& options, std::optional<std::int64_t> page_size,
                       std::uint64_t max_bytes)
    : options_(options), page_size_(page_size), max_bytes_(max_bytes) {}

PageReader::~PageReader() = default;

bool PageReader::Add(const PgResult& row) {
  if (!layout_) layout_ = std::make_unique<PageLayout>(ReadLayout(row, options_));
  return layout_->error.empty() && AddRow(row);
}

bool PageReader::AddRow(const PgResult& row) {
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
  if (!settling_) page_.rows.push_back(RowReader(row, *layout_, options_.ingest).Read(0, std::move(encoded)));
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
  if (!layout_) layout_ = std::make_unique<PageLayout>(ReadLayout(columns, options_));
  if (!layout_->error.empty()) page_.error = layout_->error;
  page_.full = page_.cut || (page_size_ && page_.returned >= *page_size_);
  return std::move(page_);
}

}  // namespace leadsync
