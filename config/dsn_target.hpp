#pragma once

#include <string>

// Where a PostgreSQL DSN points, for log lines: read by libpq's own parser
// (PQconninfoParse), so a key=value string and a URI read alike.
namespace leadsync::config {

// "host:port/dbname" with what the DSN sets of them ("db.internal/crm",
// "10.0.0.5:5433/crm", "/crm" when only the database is set); never the user
// or the password. "(unreadable DSN)" when libpq cannot parse it.
[[nodiscard]] std::string DescribeDsnTarget(const std::string& dsn);

}  // namespace leadsync::config
