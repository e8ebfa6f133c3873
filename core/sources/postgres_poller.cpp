#include "core/sources/postgres_poller.hpp"

#include <vector>

#include "core/sources/pg_connection.hpp"

namespace leadsync {
namespace {

// SET LOCAL lasts for the transaction only, so it holds even behind a
// transaction-pooling proxy. The conversion to LeadSquared's forms reads
// timestamps as printed in UTC and dates as ISO.
constexpr const char* kBegin =
    "BEGIN READ ONLY; SET LOCAL TimeZone TO 'UTC'; SET LOCAL DateStyle TO 'ISO, YMD'; "
    "SET LOCAL IntervalStyle TO 'postgres'";
// Read only: there is nothing to commit.
constexpr const char* kEnd = "ROLLBACK";

}  // namespace

PostgresPoller::PostgresPoller(config::Source source)
    : source_(std::move(source)),
      dsn_(std::get<config::PostgresSettings>(source_.settings).dsn),
      query_(BuildPollQuery(std::get<config::PostgresSettings>(source_.settings))) {}

PostgresPoller::~PostgresPoller() = default;

PostgresPoller::Outcome PostgresPoller::Poll(const CursorValues& from) {
  bool connected = false;
  if (!connection_) {
    if (std::string error = Connect(); !error.empty()) return {.error = std::move(error)};
    connected = true;
  }
  Outcome outcome = RunQuery(from);
  outcome.connected = connected;
  return outcome;
}

void PostgresPoller::Disconnect() {
  std::lock_guard lock(cancel_mutex_);
  cancel_.reset();
  connection_.reset();
}

void PostgresPoller::Cancel() {
  std::lock_guard lock(cancel_mutex_);
  if (cancel_) cancel_->Cancel();
}

std::string PostgresPoller::Connect() {
  std::string error;
  std::unique_ptr<PgConnection> connection = PgConnection::Connect(dsn_, error);
  if (!connection) return error;
  std::lock_guard lock(cancel_mutex_);
  cancel_ = connection->cancel_handle();
  connection_ = std::move(connection);
  return "";
}

PostgresPoller::Outcome PostgresPoller::RunQuery(const CursorValues& from) {
  const PgOutcome begin = connection_->Execute(kBegin);
  if (!begin.result)
    return {.error = Failed("cannot start a transaction", begin.error, begin.connection_lost)};
  std::vector<std::optional<std::string>> params(from);
  if (query_.delay) params.emplace_back(*query_.delay);
  Outcome outcome;
  const PgOutcome rows = connection_->Query(query_.sql, params);
  if (rows.result) {
    outcome.page = ReadPage(*rows.result, source_, query_.page_size);
    outcome.error = outcome.page.error;
  } else {
    outcome.error = Failed("query failed", rows.error, rows.connection_lost);
  }
  if (!connection_) return outcome;
  const PgOutcome end = connection_->Execute(kEnd);
  if (!end.result) {
    const std::string error = Failed("cannot end the transaction", end.error, end.connection_lost);
    if (outcome.error.empty()) outcome.error = error;
  }
  return outcome;
}

// A lost connection is dropped here, so the next poll connects again.
std::string PostgresPoller::Failed(const std::string& what, const std::string& error, bool lost) {
  if (!lost) return what + ": " + error;
  Disconnect();
  return "connection lost (" + what + "): " + error;
}

}  // namespace leadsync
