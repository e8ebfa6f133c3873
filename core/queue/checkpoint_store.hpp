#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/queue/inspection.hpp"
#include "core/queue/records.hpp"

namespace leadsync {
namespace sqlite {
class Database;
}

// The checkpoints table: each source's position and how many records it has
// handed over. Runs inside the caller's transaction. Borrows the database;
// not thread-safe.
class CheckpointStore final {
 public:
  explicit CheckpointStore(sqlite::Database& db) : db_(db) {}

  [[nodiscard]] Checkpoint Read(const std::string& source);
  // False, changing nothing, when the stored epoch is not the expected one.
  [[nodiscard]] bool Advance(const CheckpointUpdate& update, std::int64_t ingested);
  void Reset(const std::string& source, const std::optional<std::string>& value);
  [[nodiscard]] std::map<std::string, SourceState> All();

 private:
  sqlite::Database& db_;
};

}  // namespace leadsync
