#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/queue/inspection.hpp"
#include "core/queue/record_store.hpp"
#include "core/queue/records.hpp"
#include "core/queue/settlement.hpp"

namespace leadsync {
namespace sqlite {
class Database;
}

// The retention query, by the dead_letters_at index (its plan is tested).
struct DeadLetterQueries {
  static constexpr const char* kRemoveBefore = "DELETE FROM dead_letters WHERE dead_lettered_at < ?1";
};

// The dead_letters table: records the API refused for good, records refused
// at ingest (dead_letter::kRejected, or kSchema for the account schema's), and rows that no longer decode
// (dead_letter::kUnreadable). Runs inside the caller's transaction. Borrows the database; not thread-safe.
class DeadLetterStore final {
 public:
  explicit DeadLetterStore(sqlite::Database& db) : db_(db) {}

  // A queue row the API refused (attempts counts this last one).
  void AddRefused(const StoredRecord& row, const DeadLetter& dead, TimePoint at);
  void AddUnreadable(const StoredRecord& row, TimePoint at);
  void AddRejected(const Rejection& rejection, TimePoint at);

  [[nodiscard]] std::vector<DeadLetterEntry> List(const std::vector<std::int64_t>& ids);
  // Deletes the entries; returns how many were deleted.
  std::int64_t Remove(const std::vector<std::int64_t>& ids);
  // Deletes the entries dead-lettered before `before`; returns how many.
  std::int64_t RemoveBefore(TimePoint before);

 private:
  sqlite::Database& db_;
};

}  // namespace leadsync
