#include "core/dispatch/drain_forecast.hpp"

#include <algorithm>

namespace leadsync {
namespace {

// Seconds until `calls` calls have started under every window; nullopt when
// one allows none.
std::optional<double> CallsSeconds(double calls, const std::vector<WindowUse>& windows) {
  double slowest = 0.0;
  for (const WindowUse& w : windows) {
    if (w.limit <= 0) return std::nullopt;
    const double later = calls - std::max(0, w.limit - w.calls);
    if (later > 0)
      slowest = std::max(slowest, later * std::chrono::duration<double>(w.per).count() / w.limit);
  }
  return slowest;
}

}  // namespace

std::array<std::optional<double>, 3> DrainSeconds(const PriorityBacklogs& backlogs, const DrainRate& rate) {
  std::array<std::optional<double>, 3> out{};
  std::int64_t ahead = 0;
  for (Priority priority : kPriorities) {  // highest first
    const auto index = static_cast<std::size_t>(PriorityValue(priority));
    ahead += backlogs[index].records;
    out[index] = backlogs[index].records == 0
                     ? std::optional<double>(0.0)
                     : CallsSeconds(static_cast<double>(ahead) / std::max(1, rate.batch_size), rate.windows);
  }
  return out;
}

}  // namespace leadsync
