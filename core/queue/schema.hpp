#pragma once

#include <filesystem>

namespace leadsync {
namespace sqlite {
class Database;
}

// The queue file's tables and indexes, and the upgrade from each earlier
// version. Records move through four states:
//
//   0 ready      claimable now, highest priority first, then oldest id
//   1 in flight  claimed by a request that has not been settled
//   2 waiting    backed off until not_before, then ready again
//   3 held       a newer change whose key is in flight: it becomes ready (or
//                merges into the returning record) when that request settles
//
// so that claiming reads only ready rows in (priority, id) order, whatever
// the backlog. A record's priority (priority.hpp) only ever rises, when a
// higher-priority change merges into it; a dead letter keeps the priority
// its record had, for a replay.
// A key has at most one row in states 0, 2 or 3, and at most one in state 1.
// `counts` keeps the number of rows per state, per priority and of dead
// letters, updated in the same transactions, so that nothing at start (or
// on a metrics tick) scans the queue.
inline constexpr int kQueueSchemaVersion = 5;

// Checks that `db` is a leadsync queue this build can read, and for a
// writable one creates or upgrades its schema. Throws QueueError.
void PrepareSchema(sqlite::Database& db, const std::filesystem::path& path, bool writable);

// Counts the rows of every state and the dead letters again into `counts`
// (after rows were written without it, as a salvage does).
void RecountQueue(sqlite::Database& db);

}  // namespace leadsync
