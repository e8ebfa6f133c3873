#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/clock.hpp"
#include "core/queue/records.hpp"

namespace leadsync {

// What ingest needs of the queue: sources and `leadsync enqueue` hand over
// changes with their checkpoint, and `leadsync source reset` moves one.
//
// While a record waits, newer changes to its key merge into it (later value
// wins per attribute); a change to a key in flight is held until that
// request is settled. Every method is one transaction; throws QueueError.
// Blocking and not thread-safe: the daemon calls it on the queue thread.
class IngestQueue {
 public:
  virtual ~IngestQueue() = default;

  // Leads, rejections and the source's checkpoint commit together.
  virtual EnqueueResult Enqueue(std::span<const IncomingLead> leads, std::span<const Rejection> rejections,
                                const std::optional<CheckpointUpdate>& checkpoint, TimePoint now) = 0;
  // The stored position (value nullopt and epoch 0 for a source never committed).
  [[nodiscard]] virtual Checkpoint ReadCheckpoint(const std::string& source) = 0;
  // Moves a source's checkpoint on purpose (nullopt: back to the source's
  // start) and bumps its epoch, so a source reading under the old one
  // cannot commit over it.
  virtual void ResetCheckpoint(const std::string& source, const std::optional<std::string>& value) = 0;
  // Records pending or in flight, as last counted (the backpressure
  // threshold is compared with it); QueueInspection::Refresh() re-reads it.
  [[nodiscard]] virtual std::int64_t Backlog() const = 0;
};

}  // namespace leadsync
