#pragma once

#include <cstdint>
#include <filesystem>

namespace leadsync {

// What a copy of the queue holds, counted in the copy itself.
struct QueueContents {
  std::uintmax_t bytes = 0;
  std::int64_t pending = 0;  // ready, waiting or held
  std::int64_t in_flight = 0;
  std::int64_t dead_letters = 0;
  std::int64_t history = 0;  // delivery journal entries
  std::int64_t checkpoints = 0;
};

// Copies the queue file at `queue` to `to` with SQLite's online backup, in
// one read transaction: a consistent snapshot, taken while the daemon (or
// anyone else) keeps writing, which the copy never blocks for long. The copy
// is one self-contained file (rollback journal, no -wal), mode 0600, written
// beside `to` and renamed into place once synced, so `to` is never half a
// copy. Refuses an existing `to` unless `overwrite`. Throws QueueError.
// Blocking; call from a command, not the network loop.
QueueContents BackupQueueFile(const std::filesystem::path& queue, const std::filesystem::path& to,
                              bool overwrite);

}  // namespace leadsync
