#pragma once

#include <string>
#include <vector>

#include "core/queue/queue.hpp"

// The machine-readable output of the inspection commands (DESIGN.md,
// "Machine-readable output").
namespace leadsync::daemon {

[[nodiscard]] std::string IsoTime(TimePoint t);
[[nodiscard]] std::string StatsJson(const QueueStats& stats, TimePoint now);
[[nodiscard]] std::string DeadLettersJson(const std::vector<DeadLetterEntry>& entries);
[[nodiscard]] std::string HistoryJson(const std::vector<HistoryEntry>& entries);

}  // namespace leadsync::daemon
