#pragma once

#include <string>
#include <vector>

#include "core/queue/inspection.hpp"
#include "core/queue/record_store.hpp"

namespace leadsync {
namespace sqlite {
class Database;
}

// The history table: what was sent for each lead, when, and the answer;
// `leadsync history` reads it. Runs inside the caller's transaction.
// Borrows the database; not thread-safe.
class HistoryJournal final {
 public:
  explicit HistoryJournal(sqlite::Database& db) : db_(db) {}

  void Append(const StoredRecord& row, const HistoryEntry& entry);
  [[nodiscard]] std::vector<HistoryEntry> ForKey(const std::string& key);
  // Returns how many entries were deleted.
  std::int64_t Prune(TimePoint before);

 private:
  sqlite::Database& db_;
};

}  // namespace leadsync
