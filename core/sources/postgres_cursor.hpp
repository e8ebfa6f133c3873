#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadsync {

// Where a postgres source's next poll starts: the values of its cursor
// columns, as PostgreSQL printed them, bound to $1..$N (nullopt: NULL).
using CursorValues = std::vector<std::optional<std::string>>;

// The checkpoint text for `values`. A one-column cursor stores the value
// itself ("2024-05-01 10:00:00.25+00"); a composite cursor a JSON array of
// one string (or null) per column (["2024-05-01 10:00:00.25+00","42"]).
[[nodiscard]] std::string EncodeCursor(const CursorValues& values);

// Reads a checkpoint, a `cursor_start` or a `source reset --to` value for a
// cursor of `columns` columns. One column: the text is the value. Several: a
// JSON array with one string, number or null per column; or a plain value,
// which is the first column's, the others NULL. So the default "-infinity"
// starts a [updated_at, id] cursor: (updated_at, id) > ('-infinity', NULL)
// holds for every finite updated_at, as a row comparison stops at the first
// unequal pair. nullopt, with `error` (when given) set, when the text is none
// of these.
[[nodiscard]] std::optional<CursorValues> DecodeCursor(std::string_view text, std::size_t columns,
                                                       std::string* error = nullptr);

}  // namespace leadsync
