#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/queue/records.hpp"
#include "core/sources/postgres_options.hpp"

namespace leadsync {

class PgResult;
struct PageLayout;  // where each column goes (postgres_page.cpp)

// One row of a poll, ready for the queue: a lead with its key, or a
// rejection (no key, a value LeadSquared cannot take, over the caps).
struct PageRow {
  std::string position;         // the row's cursor, as a checkpoint (EncodeCursor)
  std::size_t fingerprint = 0;  // of every column's text: a row read again unchanged is known by it
  std::optional<IncomingLead> lead;
  std::optional<Rejection> rejection;
};

// What one poll read.
struct Page {
  // In cursor order, up to (not including) the first row that is newer than
  // the cursor_delay horizon: nothing is read past a row still settling.
  std::vector<PageRow> rows;
  std::int64_t returned = 0;   // rows read, settled or not
  std::uint64_t bytes = 0;     // their text, every column: what the page held at most
  bool full = false;           // `returned` reached the query's own LIMIT, or `cut`
  bool cut = false;            // max_page_bytes was reached: the query had not ended
  bool one_value = false;      // every row read had the same cursor
  std::string first_position;  // the first row's cursor
  std::string error;           // the page is unusable (a cursor column missing or NULL)
};

// Turns a poll's rows into a Page as they arrive (PgConnection::Stream), so
// that a page holds at most `max_bytes` of row text, plus the one row that
// reaches it: that row is the page's last, and the page counts as full. Each
// column becomes an attribute under its own name ("Set.Field" names fill a
// custom field set, as CSV headers do), its value in LeadSquared's form
// (LeadSquaredValue); NULL leaves the attribute out. The row is then capped
// (CheckCaps) and goes through the steps every source shares (AddLead: the
// mapping, search_by, the key), as a rejection at "cursor X" when it fails
// one. `page_size` is the query's LIMIT, when known. Borrows `options`. Not
// thread-safe.
class PageReader final {
 public:
  PageReader(const PostgresOptions& options, std::optional<std::int64_t> page_size, std::uint64_t max_bytes);
  ~PageReader();
  PageReader(const PageReader&) = delete;
  PageReader& operator=(const PageReader&) = delete;

  // Takes the row of a one-row result; false once the page is complete
  // (max_bytes reached, or an error): read no more rows.
  [[nodiscard]] bool Add(const PgResult& row);
  // How many rows to fetch next: what still fits under max_bytes at the
  // size of the largest row so far (a few before any), so that little is
  // read past the cap only to be dropped. At least 1.
  [[nodiscard]] std::int64_t RowsToFetch() const;
  // The page. `columns`, a result of the query (the closing one of a fetch),
  // lets a missing cursor column be reported when no row came.
  [[nodiscard]] Page Finish(const PgResult& columns);

 private:
  [[nodiscard]] bool AddRow(const PgResult& row);

  const PostgresOptions& options_;
  std::optional<std::int64_t> page_size_;
  std::uint64_t max_bytes_;
  std::unique_ptr<PageLayout> layout_;  // from the first result seen
  std::uint64_t largest_row_ = 0;
  bool settling_ = false;
  Page page_;
};

}  // namespace leadsync
