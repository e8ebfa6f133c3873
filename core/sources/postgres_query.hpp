#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/sources/postgres_options.hpp"

namespace leadsync {

// The last column of a poll's result when the source has a cursor_delay.
inline constexpr std::string_view kSettledColumn = "leadsync_settled";

// The statement one poll runs. The configured query becomes a subquery:
//
//   SELECT leadsync_page.* [, leadsync_page."updated_at" <= now() - $N+1::interval AS leadsync_settled]
//   FROM (<query>) AS leadsync_page ORDER BY leadsync_page."updated_at"[, ...]
//
// so rows always come in cursor order, which the checkpoint relies on, and,
// with a cursor_delay, each row says whether its first cursor column is at
// least that far behind the server's now(). The query keeps its own WHERE,
// ORDER BY and LIMIT; $1..$N remain the cursor values.
struct PollQuery {
  std::string sql;
  std::optional<std::string> delay;       // bound as $N+1 ("1500 milliseconds"); none without a delay
  std::optional<std::int64_t> page_size;  // the query's own LIMIT, when written as a number
};

[[nodiscard]] PollQuery BuildPollQuery(const PostgresOptions& options);

// N from a trailing "LIMIT N" or "FETCH FIRST|NEXT N ROW[S] ONLY" (any case,
// an optional ';'): how a poll knows that a page was cut short.
[[nodiscard]] std::optional<std::int64_t> LiteralLimit(std::string_view query);

// `name` as a quoted SQL identifier: "name", inner quotes doubled.
[[nodiscard]] std::string QuoteIdentifier(std::string_view name);

}  // namespace leadsync
