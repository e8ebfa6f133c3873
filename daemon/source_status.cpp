#include "daemon/source_status.hpp"

namespace leadsync::daemon {

std::map<std::string, SourceStatus> SourceStatuses(const QueueStats& stats,
                                                   const std::vector<std::string>& configured) {
  std::map<std::string, SourceStatus> out;
  for (const std::string& name : configured) out[name].configured = true;
  for (const auto& [name, state] : stats.sources) {
    SourceStatus& status = out[name];
    if (!state.checkpoint.empty()) status.checkpoint = state.checkpoint;
    status.ingested = state.ingested;
  }
  return out;
}

}  // namespace leadsync::daemon
