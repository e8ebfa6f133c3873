#pragma once

#include <array>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/dispatch/rate_window.hpp"
#include "core/queue/inspection.hpp"

namespace leadsync {

// The pace the backlog can move at: every rate-limit window with its limit
// and the calls it counts now (in the daemon, the shortest window's limit is
// the limiter's effective one), each call carrying up to `batch_size` records.
struct DrainRate {
  std::vector<WindowUse> windows;
  int batch_size = 25;
};

// How long the records of each priority (indexed by PriorityValue) take to
// get through at `rate`: the records of that priority and of every higher
// one, which go first. Each window lets the calls it has room for start now
// and the rest at its limit per its length; the slowest window decides, so a
// daily cap that the backlog passes shows as days. Assumes no new records
// arrive and ignores the starvation guard's share (at most one call in ten).
// 0 for a priority with no records; nullopt when a window allows no call.
[[nodiscard]] std::array<std::optional<double>, 3> DrainSeconds(const PriorityBacklogs& backlogs,
                                                                const DrainRate& rate);

}  // namespace leadsync
