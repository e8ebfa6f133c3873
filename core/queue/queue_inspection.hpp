#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/inspection.hpp"

namespace leadsync {

// What operators and the daemon's gauges read of the queue as a whole
// (`leadsync queue stats|check`, the housekeeping tick). Throws QueueError.
// Blocking and not thread-safe.
class QueueInspection {
 public:
  virtual ~QueueInspection() = default;

  // Re-reads the counts kept as records move (other processes may have
  // changed the queue): IngestQueue::Backlog, DeadLetterQueue::DeadLetterCount.
  virtual void Refresh() = 0;
  // first_seen of the oldest record pending or in flight.
  [[nodiscard]] virtual std::optional<TimePoint> OldestPending() = 0;
  // The records pending or in flight at each priority, as last counted,
  // with the oldest of each.
  [[nodiscard]] virtual PriorityBacklogs BacklogByPriority() = 0;
  // first_seen of the oldest record `source` queued that is pending or in
  // flight; nullopt when it has none.
  [[nodiscard]] virtual std::optional<TimePoint> OldestPendingOf(const std::string& source) = 0;
  // Refreshed counts, the oldest record, every source's checkpoint and the
  // backlog by priority.
  [[nodiscard]] virtual QueueStats Stats() = 0;
  // A full integrity check; empty when sound.
  [[nodiscard]] virtual std::vector<std::string> IntegrityCheck() = 0;
};

}  // namespace leadsync
