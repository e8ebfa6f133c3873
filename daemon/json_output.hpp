#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/dispatch/rate_window.hpp"
#include "core/queue/queue.hpp"
#include "daemon/source_status.hpp"

// The machine-readable output of the inspection commands (--json), whose
// fields docs/cli.md lists: scripts rely on them. The text is safe to print
// on a terminal (EscapeJsonForDisplay) and parses back to the stored values.
namespace leadsync::daemon {

[[nodiscard]] std::string IsoTime(TimePoint t);
// `sources` from SourceStatuses(): a checkpoint not yet set is null.
// `drain` from DrainSeconds(), by priority: null where no forecast is made;
// `windows` from ReadWindowUse(), under "rate_limit".
[[nodiscard]] std::string StatsJson(const QueueStats& stats,
                                    const std::map<std::string, SourceStatus>& sources,
                                    const std::array<std::optional<double>, 3>& drain,
                                    const std::vector<WindowUse>& windows, TimePoint now);
[[nodiscard]] std::string DeadLettersJson(const std::vector<DeadLetterEntry>& entries);
[[nodiscard]] std::string HistoryJson(const std::vector<HistoryEntry>& entries);

}  // namespace leadsync::daemon
