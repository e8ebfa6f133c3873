#include "core/dispatch/batch_timing.hpp"

#include <algorithm>

namespace leadsync {

BatchTiming DecideBatchTiming(const Readiness& readiness, int batch_size, Duration linger, TimePoint now) {
  if (readiness.ready >= batch_size) return {true, std::nullopt};
  if (readiness.ready > 0 && readiness.oldest_ready) {
    const TimePoint due = *readiness.oldest_ready + linger;
    if (due <= now) return {true, std::nullopt};
    TimePoint wake = due;
    if (readiness.next_not_before) wake = std::min(wake, *readiness.next_not_before);
    return {false, wake};
  }
  return {false, readiness.next_not_before};
}

}  // namespace leadsync
