#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace leadsync::sqlite {

// Any SQLite failure, with the statement or file it concerned and SQLite's
// own message. Every sqlite3_* return code is checked and ends up here.
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  [[nodiscard]] int code() const { return code_; }

 private:
  int code_;
};

// An open database connection. Not thread-safe; one owner.
class Statement;

class Database final {
 public:
  Database(const std::filesystem::path& path, bool read_only = false);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void Exec(std::string_view sql);
  // A statement prepared once per connection and reused, reset and unbound.
  // Finish with one before preparing the same text again (no nesting).
  [[nodiscard]] Statement& Prepare(std::string_view sql);
  // Resets every prepared statement, ending any read they hold open (a
  // stepped SELECT keeps its snapshot, and the WAL, until reset).
  void ResetStatements();
  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] std::int64_t LastInsertId() const;
  [[nodiscard]] int Changes() const;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  // Looked up by string_view: a cached statement costs no allocation.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;
};

// A prepared statement; bind by 1-based index, step, read columns.
class Statement final {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view value);
  // Binds without a copy: `value` must stay alive and unchanged until the
  // statement is reset (Run() resets it).
  Statement& BindView(int index, std::string_view value);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);
  Statement& BindNull(int index);
  // True while a row is available.
  [[nodiscard]] bool Step();
  // Steps once, expecting no row (INSERT/UPDATE/DELETE), and resets.
  void Run();
  void Reset();

  [[nodiscard]] std::int64_t Int(int column) const;
  [[nodiscard]] std::string Text(int column) const;
  // Valid until the next Step or Reset.
  [[nodiscard]] std::string_view View(int column) const;
  [[nodiscard]] bool IsNull(int column) const;

 private:
  void Check(int rc) const;
  sqlite3_stmt* stmt_ = nullptr;
  Database& db_;
};

// Resets a database's prepared statements when it goes out of scope.
class StatementScope final {
 public:
  explicit StatementScope(Database& db) : db_(db) {}
  ~StatementScope() { db_.ResetStatements(); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;

 private:
  Database& db_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if Commit() was not reached.
class Transaction final {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace leadsync::sqlite
