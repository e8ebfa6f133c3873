#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/sources/postgres_cursor.hpp"
#include "core/sources/postgres_options.hpp"
#include "core/sources/postgres_page.hpp"
#include "core/sources/postgres_query.hpp"

namespace leadsync {

class PgConnection;
class PgCancelHandle;

// The blocking half of the postgres source: owns the connection and runs one
// poll at a time, on the source's worker thread (never the network loop).
//
// A poll is one read-only transaction: the session settings the value
// conversion relies on (TimeZone UTC, DateStyle ISO), then the configured
// query (BuildPollQuery) from the given cursor, read through a cursor a row
// at a time and stopped at max_page_bytes (PageReader), so that no result,
// however large, is ever held whole. A lost connection is dropped
// and made again at the next poll, so a restarted server is picked up.
//
// Poll() and Disconnect() run on the worker thread; Cancel() on any thread.
class PostgresPoller final {
 public:
  struct Outcome {
    Page page{};
    std::string error;       // why the poll failed, for the operator (never the DSN)
    bool connected = false;  // this poll had to (re)connect
  };

  explicit PostgresPoller(PostgresOptions options);
  ~PostgresPoller();
  PostgresPoller(const PostgresPoller&) = delete;
  PostgresPoller& operator=(const PostgresPoller&) = delete;

  [[nodiscard]] Outcome Poll(const CursorValues& from);
  void Disconnect();
  // Cancels the query in progress, if any (a source stopping).
  void Cancel();

 private:
  // nullopt once connected, else why not.
  [[nodiscard]] std::optional<std::string> Connect();
  [[nodiscard]] Outcome RunQuery(const CursorValues& from);
  [[nodiscard]] Outcome ReadPage(const CursorValues& from);
  [[nodiscard]] std::string Failed(const std::string& what, const std::string& error, bool lost);

  PostgresOptions options_;
  PollQuery query_;
  std::unique_ptr<PgConnection> connection_;
  std::mutex cancel_mutex_;
  std::shared_ptr<PgCancelHandle> cancel_;  // guarded by cancel_mutex_
};

}  // namespace leadsync
