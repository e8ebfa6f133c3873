#include "core/sources/pg_connection.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <vector>

namespace leadsync {
namespace {

// What the DSN sets `keyword` to (empty when unset), as libpq reads it;
// nullopt when libpq cannot parse the DSN (its text would quote it).
std::optional<std::string> DsnValue(const std::string& dsn, const char* keyword) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &parse_error);
  if (options == nullptr) {
    PQfreemem(parse_error);
    return std::nullopt;
  }
  std::string value;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, keyword) == 0 && o->val != nullptr) value = o->val;
  }
  PQconninfoFree(options);
  return value;
}

// The DSN's password, to keep it out of messages.
std::optional<std::string> PasswordOf(const std::string& dsn) { return DsnValue(dsn, "password"); }

// A TLS failure under the default sslmode, which the DSN does not show.
std::string TlsHint(const std::string& dsn, std::string_view message) {
  const bool tls_failure =
      message.find("SSL") != std::string_view::npos || message.find("certificate") != std::string_view::npos;
  if (!tls_failure || !DsnValue(dsn, "sslmode").value_or("").empty()) return "";
  return " (leadsync connects with sslmode=" + std::string(PgConnection::kDefaultSslMode) +
         " unless the dsn sets sslmode: give the server's CA with sslrootcert=)";
}

std::string Field(const PGresult* result, int code) {
  const char* text = PQresultErrorField(result, code);
  return text == nullptr ? "" : text;
}

}  // namespace

PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int PgResult::rows() const { return PQntuples(result_); }
int PgResult::columns() const { return PQnfields(result_); }
std::string_view PgResult::ColumnName(int column) const { return PQfname(result_, column); }
unsigned PgResult::ColumnType(int column) const { return PQftype(result_, column); }
bool PgResult::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) == 1; }

std::string_view PgResult::Value(int row, int column) const {
  return {PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

PgCancelHandle::~PgCancelHandle() { PQfreeCancel(cancel_); }

void PgCancelHandle::Cancel() const {
  // Best effort: a failed cancel request leaves the query to finish on its own.
  if (cancel_ == nullptr) return;
  std::array<char, 256> error{};
  static_cast<void>(PQcancel(cancel_, error.data(), static_cast<int>(error.size())));
}

std::unique_ptr<PgConnection> PgConnection::Connect(const std::string& dsn, std::string* error) {
  std::optional<std::string> password = PasswordOf(dsn);
  if (!password) {
    if (error)
      *error = "dsn is not a valid libpq connection string or URI (details withheld: they would quote it)";
    return nullptr;
  }
  // With expand_dbname, what the DSN says overrides the keywords before
  // "dbname" and is overridden by those after it.
  const std::string sslmode(PgConnection::kDefaultSslMode);
  const std::array<const char*, 9> keywords{"connect_timeout",  "keepalives_idle",  "keepalives_interval",
                                            "keepalives_count", "application_name", "sslmode",
                                            "dbname",           "client_encoding",  nullptr};
  const std::array<const char*, 9> values{"10",        "30",   "10",   "3", "leadsync", sslmode.c_str(),
                                          dsn.c_str(), "UTF8", nullptr};
  PGconn* connection = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (connection == nullptr) {
    if (error) *error = "cannot connect: out of memory";
    return nullptr;
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string message = CleanPgMessage(PQerrorMessage(connection), *password);
    if (error) *error = "cannot connect: " + message + TlsHint(dsn, message);
    PQfinish(connection);
    return nullptr;
  }
  return std::unique_ptr<PgConnection>(new PgConnection(connection, std::move(*password)));
}

PgConnection::PgConnection(pg_conn* connection, std::string password)
    : connection_(connection),
      password_(std::move(password)),
      cancel_(std::make_shared<PgCancelHandle>(PQgetCancel(connection))) {
  PQsetNoticeProcessor(connection_, &PgConnection::OnNotice, this);
}

// libpq's default prints every notice to stderr: a server (or a query's
// RAISE NOTICE per row) could flood the journal. The first few go to the log
// on one line each, cut short; the rest are only counted.
void PgConnection::OnNotice(void* self, const char* message) {
  constexpr int kLogged = 10;
  constexpr std::size_t kMaxLength = 200;
  auto& connection = *static_cast<PgConnection*>(self);
  const int seen = ++connection.notices_;
  if (seen > kLogged + 1) return;
  if (seen == kLogged + 1) {
    spdlog::info("postgres: the server sends more notices; no more are logged for this connection");
    return;
  }
  std::string text = CleanPgMessage(message, connection.password_);
  if (text.size() > kMaxLength) {
    std::size_t cut = kMaxLength;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
    text = text.substr(0, cut) + "...";
  }
  spdlog::info("postgres notice: {}", text);
}

PgConnection::~PgConnection() { PQfinish(connection_); }

PgOutcome PgConnection::Execute(const std::string& sql) { return Finish(PQexec(connection_, sql.c_str())); }

PgOutcome PgConnection::Query(const std::string& sql, std::span<const std::optional<std::string>> params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::optional<std::string>& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Finish(PQexecParams(connection_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
}

PgOutcome PgConnection::Stream(const std::string& sql, const std::function<bool(const PgResult&)>& row) {
  if (PQsendQuery(connection_, sql.c_str()) == 0) return Finish(nullptr);
  // Fails only when no query is waiting for its first result, which the
  // send above rules out.
  static_cast<void>(PQsetSingleRowMode(connection_));
  bool wanted = true;
  std::optional<PgOutcome> outcome;
  // Every result is taken, up to the nullptr that frees the connection.
  for (pg_result* result = PQgetResult(connection_); result != nullptr; result = PQgetResult(connection_)) {
    if (PQresultStatus(result) == PGRES_SINGLE_TUPLE) {
      const PgResult one(result);
      wanted = wanted && row(one);
    } else if (!outcome) {
      outcome = Finish(result);
    } else {
      PQclear(result);
    }
  }
  return outcome ? *std::move(outcome) : Finish(nullptr);
}

bool PgConnection::lost() const { return PQstatus(connection_) == CONNECTION_BAD; }

PgOutcome PgConnection::Finish(pg_result* result) {
  PgOutcome outcome;
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
    outcome.result.emplace(result);
    return outcome;
  }
  outcome.error = Describe(result);
  outcome.connection_lost = lost();
  if (result != nullptr) PQclear(result);
  return outcome;
}

// The server's primary message, its hint and SQLSTATE, on one line; libpq's
// own message when the server sent none (a lost connection).
std::string PgConnection::Describe(const pg_result* result) const {
  std::string primary = result == nullptr ? "" : Field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) return CleanPgMessage(PQerrorMessage(connection_), password_);
  const std::string hint = Field(result, PG_DIAG_MESSAGE_HINT);
  if (!hint.empty()) primary += " (hint: " + hint + ")";
  const std::string state = Field(result, PG_DIAG_SQLSTATE);
  if (!state.empty()) primary += " [SQLSTATE " + state + "]";
  return CleanPgMessage(primary, password_);
}

std::string CleanPgMessage(std::string_view message, std::string_view secret) {
  std::string out;
  bool space = false;
  for (const char c : message) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (secret.empty()) return out;
  for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + 3)) {
    out.replace(at, secret.size(), "***");
  }
  return out;
}

}  // namespace leadsync
