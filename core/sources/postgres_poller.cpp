#include "core/sources/postgres_poller.hpp"

#include <vector>

#include "core/sources/pg_connection.hpp"

namespace leadsync {
namespace {

// SET LOCAL lasts for the transaction only, so it holds even behind a
// transaction-pooling proxy. The conversion to LeadSquared's forms reads
// timestamps as printed in UTC and dates as ISO. A cursor is planned for
// its first tenth by default; a poll reads it to the end, as a plain query.
constexpr const char* kBegin =
    "BEGIN READ ONLY; SET LOCAL TimeZone TO 'UTC'; SET LOCAL DateStyle TO 'ISO, YMD'; "
    "SET LOCAL IntervalStyle TO 'postgres'; SET LOCAL cursor_tuple_fraction TO 1";
// Read only: there is nothing to commit. Closes the cursor.
constexpr const char* kEnd = "ROLLBACK";
// The poll's rows are fetched a few at a time, each read alone, so that a
// page stops at max_page_bytes however large the result (PageReader).
constexpr const char* kDeclare = "DECLARE leadsync_poll NO SCROLL CURSOR FOR\n";

std::string FetchSql(std::int64_t rows) {
  return "FETCH FORWARD " + std::to_string(rows) + " FROM leadsync_poll";
}

}  // namespace

PostgresPoller::PostgresPoller(PostgresOptions options)
    : options_(std::move(options)), query_(BuildPollQuery(options_)) {}

PostgresPoller::~PostgresPoller() = default;

PostgresPoller::Outcome PostgresPoller::Poll(const CursorValues& from) {
  bool connected = false;
  if (!connection_) {
    if (std::optional<std::string> error = Connect()) return {.error = *std::move(error)};
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

std::optional<std::string> PostgresPoller::Connect() {
  std::string error;
  std::unique_ptr<PgConnection> connection = PgConnection::Connect(options_.dsn, &error);
  if (!connection) return error;
  std::lock_guard lock(cancel_mutex_);
  cancel_ = connection->cancel_handle();
  connection_ = std::move(connection);
  return std::nullopt;
}

PostgresPoller::Outcome PostgresPoller::RunQuery(const CursorValues& from) {
  const PgOutcome begin = connection_->Execute(kBegin);
  if (!begin.result)
    return {.error = Failed("cannot start a transaction", begin.error, begin.connection_lost)};
  Outcome outcome = ReadPage(from);
  if (!connection_) return outcome;
  const PgOutcome end = connection_->Execute(kEnd);
  if (!end.result) {
    const std::string error = Failed("cannot end the transaction", end.error, end.connection_lost);
    if (outcome.error.empty()) outcome.error = error;
  }
  return outcome;
}

// Fetches until the query ends (a fetch came back short) or the page is
// complete; the rows of the last fetch after that are dropped unseen.
PostgresPoller::Outcome PostgresPoller::ReadPage(const CursorValues& from) {
  std::vector<std::optional<std::string>> params(from);
  if (query_.delay) params.emplace_back(*query_.delay);
  const PgOutcome declared = connection_->Query(kDeclare + query_.sql, params);
  if (!declared.result) return {.error = Failed("query failed", declared.error, declared.connection_lost)};
  PageReader reader(options_, query_.page_size, options_.max_page_bytes);
  for (;;) {
    const std::int64_t wanted = reader.RowsToFetch();
    std::int64_t got = 0;
    bool more = true;
    const PgOutcome fetched = connection_->Stream(FetchSql(wanted), [&](const PgResult& row) {
      ++got;
      more = reader.Add(row);
      return more;
    });
    if (!fetched.result) return {.error = Failed("query failed", fetched.error, fetched.connection_lost)};
    if (!more || got < wanted) {
      Outcome outcome;
      outcome.page = reader.Finish(*fetched.result);
      outcome.error = outcome.page.error;
      return outcome;
    }
  }
}

// A lost connection is dropped here, so the next poll connects again.
std::string PostgresPoller::Failed(const std::string& what, const std::string& error, bool lost) {
  if (!lost) return what + ": " + error;
  Disconnect();
  return "connection lost (" + what + "): " + error;
}

}  // namespace leadsync
