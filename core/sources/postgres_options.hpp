#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/sources/ingest.hpp"

namespace leadsync {

// A postgres source's settings (daemon/options makes them from
// `type: postgres`). `dsn` is a secret: it goes to libpq only, never into a
// log line, an error or a metric.
struct PostgresOptions {
  IngestOptions ingest{};
  std::string dsn{};
  std::string query{};                // $1..$N: the cursor values
  std::vector<std::string> cursor{};  // result columns, in ORDER BY order
  std::string cursor_start = "-infinity";
  std::chrono::milliseconds cursor_delay{0};
  std::chrono::milliseconds interval{10'000};
  std::uint64_t max_page_bytes = std::uint64_t{8} * 1024 * 1024;  // a poll stops reading rows past it
};

}  // namespace leadsync
