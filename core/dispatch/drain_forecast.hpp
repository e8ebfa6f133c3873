#pragma once

#include <array>
#include <optional>

#include "core/clock.hpp"
#include "core/queue/inspection.hpp"

namespace leadsync {

// The pace the backlog can move at: `calls` calls in every `per`, each
// carrying up to `batch_size` records. The limiter's effective limit in the
// daemon; the configured one where no daemon state is at hand (`queue stats`).
struct DrainRate {
  double calls = 0;
  Duration per{};
  int batch_size = 25;
};

// How long the records of each priority (indexed by PriorityValue) take to
// get through at `rate`: the records of that priority and of every higher
// one, which go first, over the records a second the rate moves. Assumes no
// new records arrive and ignores the starvation guard's share (at most one
// call in ten). 0 for a priority with no records; nullopt when the rate moves nothing.
[[nodiscard]] std::array<std::optional<double>, 3> DrainSeconds(const PriorityBacklogs& backlogs,
                                                                const DrainRate& rate);

}  // namespace leadsync
