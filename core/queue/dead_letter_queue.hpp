#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/inspection.hpp"

namespace leadsync {

// The dead letters: records the API refused for good, records refused at
// ingest and rows that no longer decode (`leadsync dlq`). Empty `ids` means
// all; each change returns how many entries it affected. Each method is one
// transaction; throws QueueError. Blocking and not thread-safe.
class DeadLetterQueue {
 public:
  virtual ~DeadLetterQueue() = default;

  [[nodiscard]] virtual std::vector<DeadLetterEntry> DeadLetters() = 0;
  // Back to pending with a fresh attempt count. A replayed record is the
  // older change: a newer pending or in-flight change to its key wins
  // attribute by attribute. Entries without a key or that no longer decode stay.
  virtual std::int64_t ReplayDeadLetters(const std::vector<std::int64_t>& ids, TimePoint now) = 0;
  virtual std::int64_t PurgeDeadLetters(const std::vector<std::int64_t>& ids) = 0;
  // Deletes the entries dead-lettered before `before` (the retention);
  // returns how many.
  virtual std::int64_t PruneDeadLetters(TimePoint before) = 0;
  // As last counted; QueueInspection::Refresh() re-reads it.
  [[nodiscard]] virtual std::int64_t DeadLetterCount() const = 0;
};

}  // namespace leadsync
