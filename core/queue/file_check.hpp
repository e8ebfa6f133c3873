#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace leadsync {

// SQLite's quick_check of a queue file, through a read-only connection of its
// own so that it can run beside the daemon's: the structure of every page
// (what overwritten bytes break), not whether indexes match their tables
// (`leadsync queue check` compares those too). Reads the whole file, about a
// second per million records. Returns the problems found: none when the file
// is sound, or when `cancelled` was set before the check finished.
[[nodiscard]] std::vector<std::string> QuickCheckQueueFile(const std::filesystem::path& path,
                                                           const std::atomic<bool>& cancelled);

// What to tell an operator about a damaged queue file, `detail` being what
// SQLite found.
[[nodiscard]] std::string DamagedQueueAdvice(const std::filesystem::path& path, const std::string& detail);

}  // namespace leadsync
