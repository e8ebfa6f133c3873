#pragma once

#include <optional>

#include "core/clock.hpp"
#include "core/queue/records.hpp"

namespace leadsync {

// What the batcher does next, given what the queue can hand out now.
struct BatchTiming {
  bool send_now = false;
  std::optional<TimePoint> wake_at;  // when to look again if not sending; nullopt: on new work only
};

// A full batch goes at once; a partial one once its oldest record has
// waited `linger`; with nothing claimable, wake when a backed-off record
// becomes due. Pure function.
[[nodiscard]] BatchTiming DecideBatchTiming(const Readiness& readiness, int batch_size, Duration linger,
                                            TimePoint now);

}  // namespace leadsync
