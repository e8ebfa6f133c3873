#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/queue/records.hpp"

namespace leadsync {

class PgResult;

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
  std::int64_t returned = 0;   // rows the query returned, settled or not
  bool full = false;           // `returned` reached the query's own LIMIT
  bool one_value = false;      // every returned row had the same cursor
  std::string first_position;  // the first returned row's cursor
  std::string error;           // the page is unusable (a cursor column missing or NULL)
};

// Turns a poll's result into rows. Each column becomes an attribute under its
// own name, or the one `fields` renames it to ("Set.Field" names fill a
// custom field set, as CSV headers do); values take LeadSquared's forms
// (LeadSquaredValue); NULL leaves the attribute out; `search_by` is added
// when given. `page_size` is the query's LIMIT, when known.
[[nodiscard]] Page ReadPage(const PgResult& result, const config::Source& source,
                            std::optional<std::int64_t> page_size);

}  // namespace leadsync
