#pragma once

#include <filesystem>

namespace leadsync {
namespace sqlite {
class Database;
}

// The queue file's tables and indexes, and the upgrade from each earlier
// version. Records move through four states:
//
//   0 ready      claimable now, oldest id first
//   1 in flight  claimed by a request that has not been settled
//   2 waiting    backed off until not_before, then ready again
//   3 held       a newer change whose key is in flight: it becomes ready (or
//                merges into the returning record) when that request settles
//
// so that claiming reads only ready rows in id order, whatever the backlog.
// A key has at most one row in states 0, 2 or 3, and at most one in state 1.
// `counts` keeps the number of rows per state and of dead letters, updated in
// the same transactions, so that nothing at start scans the queue.
inline constexpr int kQueueSchemaVersion = 3;

// Checks that `db` is a leadsync queue this build can read, and for a
// writable one creates or upgrades its schema. Throws QueueError.
void PrepareSchema(sqlite::Database& db, const std::filesystem::path& path, bool writable);

}  // namespace leadsync
