#include "core/sources/ingest_commit.hpp"

#include <algorithm>

namespace leadsync {

std::size_t RoomUnder(std::int64_t backlog, std::int64_t max_pending, std::size_t most) {
  if (backlog >= max_pending) return 0;
  return static_cast<std::size_t>(
      std::clamp<std::int64_t>(max_pending - backlog, 1, static_cast<std::int64_t>(most)));
}

std::optional<ChunkLimits> LimitsUnder(const IngestQueue& queue, std::int64_t max_pending) {
  ChunkLimits limits;
  limits.records = RoomUnder(queue.Backlog(), max_pending, limits.records);
  if (limits.records == 0) return std::nullopt;
  return limits;
}

CommitOutcome FullAt(std::int64_t backlog) {
  CommitOutcome outcome;
  outcome.state = CommitOutcome::State::kFull;
  outcome.backlog = backlog;
  return outcome;
}

CommitOutcome CommitBatch(IngestQueue& queue, IngestBatch batch,
                          const std::optional<CheckpointUpdate>& checkpoint, TimePoint now) {
  CommitOutcome outcome;
  outcome.result = queue.Enqueue(batch.leads, batch.rejections, checkpoint, now);
  if (outcome.result.checkpoint_conflict) {
    outcome.state = CommitOutcome::State::kConflict;
    return outcome;
  }
  outcome.rejections = std::move(batch.rejections);
  outcome.leads = batch.leads.size();
  outcome.backlog = queue.Backlog();
  return outcome;
}

}  // namespace leadsync
