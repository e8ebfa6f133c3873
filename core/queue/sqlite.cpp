#include "core/queue/sqlite.hpp"

#include <sqlite3.h>

namespace leadsync::sqlite {
namespace {

// A full filesystem is the operator's to fix, so its message names the file
// and the remedy first; the statement only follows.
constexpr const char* kFullAdvice = ": the write was rolled back; free space on the filesystem that holds it";

Error MakeError(sqlite3* db, int rc, std::string_view context) {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_FULL && db != nullptr) {
    const char* file = sqlite3_db_filename(db, "main");
    return Error(rc, std::string(file != nullptr ? file : "database") + ": " + detail + kFullAdvice + " (" +
                         std::string(context) + ")");
  }
  return Error(rc, std::string(context) + ": " + detail);
}

}  // namespace

Database::Database(const std::filesystem::path& path, bool read_only) : path_(path) {
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = MakeError(db_, rc, path.string());
    sqlite3_close(db_);
    db_ = nullptr;
    throw error;
  }
  sqlite3_extended_result_codes(db_, 1);
  // Readers (CLI commands) and the daemon share the file; wait rather than fail.
  sqlite3_busy_timeout(db_, 5000);
}

Database::~Database() {
  statements_.clear();  // finalized before the connection closes
  sqlite3_close(db_);
}

void Database::ResetStatements() {
  for (auto& [sql, statement] : statements_) statement->Reset();
}

Statement& Database::Prepare(std::string_view sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) {
    it->second->Reset();
    return *it->second;
  }
  auto statement = std::make_unique<Statement>(*this, sql);
  return *statements_.emplace(std::string(sql), std::move(statement)).first->second;
}

void Database::Exec(std::string_view sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    if ((rc & 0xff) == SQLITE_FULL) text += kFullAdvice;
    throw Error(rc, path_.string() + ": " + text);
  }
}

std::int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) throw MakeError(db.handle(), rc, "prepare " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::Check(int rc) const {
  if (rc != SQLITE_OK) throw MakeError(db_.handle(), rc, sqlite3_sql(stmt_));
}

Statement& Statement::Bind(int index, std::int64_t value) {
  Check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  Check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindView(int index, std::string_view value) {
  Check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC));
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  Check(sqlite3_bind_null(stmt_, index));
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw MakeError(db_.handle(), rc, sqlite3_sql(stmt_));
}

void Statement::Run() {
  (void)Step();
  Reset();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  Check(sqlite3_clear_bindings(stmt_));
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const { return std::string(View(column)); }

std::string_view Statement::View(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return text == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.Exec("ROLLBACK");
    } catch (const Error&) {
      // The transaction is gone either way; the caller's exception matters more.
    }
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace leadsync::sqlite
