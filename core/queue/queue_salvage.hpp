#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadsync {

// What a salvage did with one table of the damaged file.
struct SalvagedTable {
  std::string name;
  std::int64_t copied = 0;
  // Rows the file counted but the copy lacks, where the file keeps a count
  // (records, dead letters) and that count was readable.
  std::optional<std::int64_t> lost;
  // Row ids skipped because the pages that hold them could not be read (an
  // upper bound on what was lost); `last` is INT64_MAX when the table's end
  // could not be read.
  std::vector<std::pair<std::int64_t, std::int64_t>> unreadable;
  // Set when not even the table's first page could be read.
  std::string error;
};

// Every readable row of a damaged queue file, copied into a new valid queue
// file: records (in their states, so a record that was in flight is sent
// again), dead letters, checkpoints, the delivery journal and call starts.
// Reads each table in row id order through its own b-tree (indexes are
// rebuilt, not read) and steps past pages that fail to read. The new file is
// created 0600 and must not exist; it is complete when this returns.
// Throws QueueError when the damaged file cannot be opened at all (its
// header or schema is unreadable) or the new one cannot be written.
// Blocking; for a command, with the daemon stopped.
std::vector<SalvagedTable> SalvageQueueFile(const std::filesystem::path& damaged,
                                            const std::filesystem::path& to);

}  // namespace leadsync
