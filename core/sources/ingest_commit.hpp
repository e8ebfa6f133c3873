#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/ingest_queue.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/ingest_stream.hpp"

// The commit step of the one ingest path (parse -> map -> validate -> key ->
// caps -> commit -> wake -> report): every source and `leadsync enqueue`
// commit through these, on the queue thread.
namespace leadsync {

// How many records the next chunk may hold under `max_pending`: none while
// the backlog is at it, else the room left, at least 1 and at most `most`.
// The backlog may pass max_pending by one chunk's coalescing at most.
[[nodiscard]] std::size_t RoomUnder(std::int64_t backlog, std::int64_t max_pending, std::size_t most);

// The limits of the next chunk read for a commit: RoomUnder the backlog,
// or nullopt while it is at max_pending (read nothing).
[[nodiscard]] std::optional<ChunkLimits> LimitsUnder(const IngestQueue& queue, std::int64_t max_pending);

// What one commit made.
struct CommitOutcome {
  enum class State {
    kCommitted,  // in the queue with its checkpoint
    kFull,       // the backlog is at max_pending: nothing was read nor committed
    kConflict,   // the checkpoint was moved (a reset): nothing committed
  };
  State state = State::kCommitted;
  EnqueueResult result{};
  std::vector<Rejection> rejections{};  // dead-lettered by this commit
  std::size_t leads = 0;                // leads committed: the dispatcher is woken when above 0
  std::int64_t backlog = 0;             // after the commit, or the one that held it back
};

// The outcome for a backlog at max_pending (State::kFull).
[[nodiscard]] CommitOutcome FullAt(std::int64_t backlog);

// Commits `batch` and `checkpoint` (nullopt: none) in one transaction and
// reads the backlog after it. Throws what the queue throws.
[[nodiscard]] CommitOutcome CommitBatch(IngestQueue& queue, IngestBatch batch,
                                        const std::optional<CheckpointUpdate>& checkpoint, TimePoint now);

}  // namespace leadsync
