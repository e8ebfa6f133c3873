#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/inspection.hpp"

namespace leadsync {

// The delivery journal: what was sent for each lead, when, and the answer
// (`leadsync history`), written as requests are settled when the queue was
// opened with `journal`. Throws QueueError. Blocking and not thread-safe.
class HistoryQueue {
 public:
  virtual ~HistoryQueue() = default;

  // Newest first.
  [[nodiscard]] virtual std::vector<HistoryEntry> History(const std::string& key) = 0;
  // Deletes the entries written before `before`; returns how many.
  virtual std::int64_t PruneHistory(TimePoint before) = 0;
};

}  // namespace leadsync
