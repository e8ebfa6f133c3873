#include "core/queue/queue_salvage.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "core/queue/private_file.hpp"
#include "core/queue/queue_error.hpp"
#include "core/queue/schema.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

constexpr std::int64_t kMaxRowId = std::numeric_limits<std::int64_t>::max();

struct TableSpec {
  const char* name;
  const char* columns;  // the row id first
  const char* counted;  // its count in `counts`, or null
};

constexpr TableSpec kTables[] = {
    {"records", "id, key, source, lead, state, attempts, first_seen, not_before",
     "SELECT SUM(value) FROM counts WHERE name LIKE 'state%'"},
    {"dead_letters",
     "id, key, source, reason, status, exception_type, message, attempts, first_seen, dead_lettered_at, "
     "record",
     "SELECT value FROM counts WHERE name = 'dead_letters'"},
    {"checkpoints", "rowid, source, checkpoint, ingested, epoch", nullptr},
    {"history", "rowid, key, at, status, lead_id, created, updated, attributes, message", nullptr},
    {"call_starts", "rowid, at", nullptr},
};

using RawStatement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

RawStatement Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) throw sqlite::Error(rc, sql + ": " + sqlite3_errmsg(db));
  return RawStatement(stmt, sqlite3_finalize);
}

// A failure on the new file's side ends the salvage; only reads are stepped past.
RawStatement PrepareWrite(sqlite3* db, const std::string& sql) {
  try {
    return Prepare(db, sql);
  } catch (const sqlite::Error& e) {
    throw QueueError(e.what());
  }
}

// Copies a damaged table's readable rows into the same table of the new file.
class TableCopy final {
 public:
  TableCopy(sqlite3* from, sqlite3* to, const TableSpec& spec)
      : spec_(spec),
        read_(Prepare(from, std::string("SELECT ") + spec.columns + " FROM " + spec.name +
                                " WHERE rowid > ?1 ORDER BY rowid")),
        probe_(Prepare(from, std::string("SELECT rowid FROM ") + spec.name +
                                 " WHERE rowid > ?1 ORDER BY rowid LIMIT 1")),
        write_(PrepareWrite(to, std::string("INSERT INTO ") + spec.name + "(" + spec.columns + ") VALUES(" +
                                    Placeholders(sqlite3_column_count(read_.get())) + ")")) {}

  SalvagedTable Run() {
    SalvagedTable table;
    table.name = spec_.name;
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    while (true) {
      if (CopyFrom(last, table.copied)) break;
      const std::int64_t resume = NextReadable(last);
      table.unreadable.emplace_back(last == std::numeric_limits<std::int64_t>::min() ? 1 : last + 1, resume);
      if (resume == kMaxRowId) break;
      last = resume;
    }
    return table;
  }

 private:
  static std::string Placeholders(int n) {
    std::string out;
    for (int i = 1; i <= n; ++i) out += (i > 1 ? ", ?" : "?") + std::to_string(i);
    return out;
  }

  // Copies rows after `last` until the end (true) or a read fails (false);
  // `last` follows the rows copied.
  bool CopyFrom(std::int64_t& last, std::int64_t& copied) {
    sqlite3_reset(read_.get());
    sqlite3_bind_int64(read_.get(), 1, last);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(read_.get())) == SQLITE_ROW) {
      Write();
      last = sqlite3_column_int64(read_.get(), 0);
      ++copied;
    }
    return rc == SQLITE_DONE;
  }

  void Write() {
    sqlite3_stmt* w = write_.get();
    for (int i = 0; i < sqlite3_column_count(read_.get()); ++i) {
      sqlite3_bind_value(w, i + 1, sqlite3_column_value(read_.get(), i));
    }
    const int rc = sqlite3_step(w);
    sqlite3_reset(w);
    if (rc != SQLITE_DONE) throw QueueError(std::string(spec_.name) + ": " + sqlite3_errstr(rc));
  }

  bool Readable(std::int64_t after) {
    sqlite3_reset(probe_.get());
    sqlite3_bind_int64(probe_.get(), 1, after);
    const int rc = sqlite3_step(probe_.get());
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
  }

  // The smallest row id past `last` from which the table reads again
  // (kMaxRowId if none): doubling steps, then bisection. A damaged page
  // covers one contiguous range of row ids, so readability only changes at
  // its end.
  std::int64_t NextReadable(std::int64_t last) {
    if (last < 0) last = 0;  // row ids here are positive
    std::int64_t step = 1;
    while (!Readable(last + step)) {
      if (step > (kMaxRowId - last) / 2) return kMaxRowId;
      step *= 2;
    }
    std::int64_t bad = last + step / 2;
    std::int64_t good = last + step;
    while (good - bad > 1) {
      const std::int64_t mid = bad + (good - bad) / 2;
      (Readable(mid) ? good : bad) = mid;
    }
    return good;
  }

  const TableSpec& spec_;
  RawStatement read_;
  RawStatement probe_;
  RawStatement write_;
};

std::optional<std::int64_t> CountedRows(sqlite3* from, const char* sql) {
  try {
    RawStatement s = Prepare(from, sql);
    if (sqlite3_step(s.get()) == SQLITE_ROW) return sqlite3_column_int64(s.get(), 0);
  } catch (const sqlite::Error&) {
    // An unreadable count only means the loss is not known exactly.
  }
  return std::nullopt;
}

SalvagedTable SalvageTable(sqlite::Database& from, sqlite::Database& to, const TableSpec& spec) {
  SalvagedTable table;
  try {
    table = TableCopy(from.handle(), to.handle(), spec).Run();
  } catch (const sqlite::Error& e) {
    table.name = spec.name;
    table.unreadable = {{1, kMaxRowId}};
    table.error = e.what();
  }
  if (spec.counted == nullptr) return table;
  if (const auto counted = CountedRows(from.handle(), spec.counted)) {
    table.lost = std::max<std::int64_t>(0, *counted - table.copied);
  }
  return table;
}

std::vector<SalvagedTable> CopyTables(const std::filesystem::path& damaged,
                                      const std::filesystem::path& partial) {
  sqlite::Database from(damaged, true);
  PrepareSchema(from, damaged, false);
  sqlite::Database to(partial);
  PrepareSchema(to, partial, true);
  std::vector<SalvagedTable> tables;
  sqlite::Transaction tx(to);
  for (const TableSpec& spec : kTables) tables.push_back(SalvageTable(from, to, spec));
  RecountQueue(to);
  tx.Commit();
  return tables;
}

}  // namespace

std::vector<SalvagedTable> SalvageQueueFile(const std::filesystem::path& damaged,
                                            const std::filesystem::path& to) {
  if (!std::filesystem::exists(damaged))
    throw QueueError("queue file " + damaged.string() + " does not exist");
  if (std::filesystem::exists(std::filesystem::symlink_status(to))) {
    throw QueueError(to.string() + " already exists; salvage writes a new file");
  }
  const std::filesystem::path partial = to.string() + ".partial";
  std::filesystem::remove(partial);
  CreateNewPrivateFile(partial);
  try {
    auto tables = CopyTables(damaged, partial);
    PublishFile(partial, to);
    return tables;
  } catch (const sqlite::Error& e) {
    std::filesystem::remove(partial);
    throw QueueError("salvage of " + damaged.string() + ": " + e.what());
  } catch (...) {
    std::filesystem::remove(partial);
    throw;
  }
}

}  // namespace leadsync
