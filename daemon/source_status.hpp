#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/queue/inspection.hpp"

namespace leadsync::daemon {

// One source as `queue stats` shows it.
struct SourceStatus {
  // nullopt: nothing committed yet, or reset to the source's start. (The
  // queue reports both as an empty checkpoint, so a cursor whose value is
  // the empty string shows as null too.)
  std::optional<std::string> checkpoint;
  std::int64_t ingested = 0;
  bool configured = false;  // false: a checkpoint left by a source no longer in the config
};

// Every configured source, whether or not it has committed anything, and
// every other source the queue holds a checkpoint for; by name.
[[nodiscard]] std::map<std::string, SourceStatus> SourceStatuses(const QueueStats& stats,
                                                                 const std::vector<std::string>& configured);

}  // namespace leadsync::daemon
