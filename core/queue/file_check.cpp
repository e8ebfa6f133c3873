#include "core/queue/file_check.hpp"

#include <sqlite3.h>

#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

// SQLite calls this every few thousand instructions; non-zero interrupts.
int Interrupted(void* cancelled) {
  return static_cast<const std::atomic<bool>*>(cancelled)->load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace

std::vector<std::string> QuickCheckQueueFile(const std::filesystem::path& path,
                                             const std::atomic<bool>& cancelled) {
  std::vector<std::string> problems;
  try {
    sqlite::Database db(path, true);
    sqlite3_progress_handler(db.handle(), 10'000, Interrupted,
                             const_cast<void*>(static_cast<const void*>(&cancelled)));
    sqlite::Statement& check = db.Prepare("PRAGMA quick_check");
    while (check.Step()) {
      if (check.View(0) != "ok") problems.push_back(check.Text(0));
    }
  } catch (const sqlite::Error& e) {
    if (!cancelled) problems.emplace_back(e.what());
  }
  if (cancelled) problems.clear();
  return problems;
}

std::string DamagedQueueAdvice(const std::filesystem::path& path, const std::string& detail) {
  return "queue file " + path.string() + " is damaged (" + detail +
         "). Stop leadsync, keep a copy of the file, run `leadsync queue check` for details; "
         "to start over, move the file (and its -wal/-shm files) aside and leadsync creates a new one";
}

}  // namespace leadsync
