#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

// libpq's own handle types (libpq-fe.h), declared here so that only
// pg_connection.cpp includes libpq.
struct pg_conn;
struct pg_result;
struct pg_cancel;

namespace leadsync {

// One libpq result in text format: every value is PostgreSQL's own text for
// it. Cleared when it goes away. Move-only; not thread-safe.
class PgResult final {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  [[nodiscard]] int rows() const;
  [[nodiscard]] int columns() const;
  [[nodiscard]] std::string_view ColumnName(int column) const;
  [[nodiscard]] unsigned ColumnType(int column) const;  // the type's OID
  [[nodiscard]] bool IsNull(int row, int column) const;
  [[nodiscard]] std::string_view Value(int row, int column) const;

 private:
  pg_result* result_;
};

// What one command came to: a result with rows (or a completed command), or
// a one-line error that never holds the DSN's password, and whether the
// connection is gone with it (the server restarted, the network failed).
struct PgOutcome {
  std::optional<PgResult> result;
  std::string error;
  bool connection_lost = false;
};

// Asks the server to cancel whatever a connection is running. Outlives the
// connection it came from; Cancel() may be called from any thread.
class PgCancelHandle final {
 public:
  explicit PgCancelHandle(pg_cancel* cancel) : cancel_(cancel) {}
  ~PgCancelHandle();
  PgCancelHandle(const PgCancelHandle&) = delete;
  PgCancelHandle& operator=(const PgCancelHandle&) = delete;
  void Cancel() const;

 private:
  pg_cancel* cancel_;
};

// A blocking libpq connection. It lives on one thread (the postgres source's
// worker), never on the network loop; not thread-safe.
class PgConnection final {
 public:
  // The sslmode when the DSN sets none: TLS always, the server's certificate
  // checked against sslrootcert and its name against the host (config/'s
  // kDefaultSslMode, which daemon/ checks is the same).
  static constexpr std::string_view kDefaultSslMode = "verify-full";

  // Connects with `dsn`, a libpq connection string or URI. The DSN may set
  // connect_timeout, keepalives, application_name and sslmode (defaults:
  // 10 s, 30 s idle, "leadsync", kDefaultSslMode); client_encoding
  // is always UTF8. nullptr on failure, with `error` (when given) set; it
  // never quotes the DSN, and says what the default sslmode needs when TLS
  // failed.
  [[nodiscard]] static std::unique_ptr<PgConnection> Connect(const std::string& dsn,
                                                             std::string* error = nullptr);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` with the simple protocol (it may hold several statements).
  [[nodiscard]] PgOutcome Execute(const std::string& sql);
  // Runs one statement with $1..$N bound to `params` (nullopt: NULL), types
  // inferred by the server; results in text format.
  [[nodiscard]] PgOutcome Query(const std::string& sql, std::span<const std::optional<std::string>> params);
  // Runs one statement and reads its result a row at a time (libpq's
  // single-row mode), so that its rows are never all held at once: `row`
  // gets each as a one-row result until it returns false; the rows after
  // that are read and dropped unseen. The outcome's result is the closing
  // one: no rows, but the columns (also when no row came) and the status.
  [[nodiscard]] PgOutcome Stream(const std::string& sql, const std::function<bool(const PgResult&)>& row);
  [[nodiscard]] bool lost() const;
  [[nodiscard]] std::shared_ptr<PgCancelHandle> cancel_handle() const { return cancel_; }

 private:
  PgConnection(pg_conn* connection, std::string password);
  [[nodiscard]] PgOutcome Finish(pg_result* result);
  [[nodiscard]] std::string Describe(const pg_result* result) const;

  static void OnNotice(void* self, const char* message);

  pg_conn* connection_;
  std::string password_;  // only to take it out of error messages
  std::shared_ptr<PgCancelHandle> cancel_;
  int notices_ = 0;  // the server's notices seen on this connection
};

// `message` on one line, every occurrence of `secret` replaced by "***".
[[nodiscard]] std::string CleanPgMessage(std::string_view message, std::string_view secret);

}  // namespace leadsync
