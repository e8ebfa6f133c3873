#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/queue.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/ingest_commit.hpp"
#include "core/sources/regular_file.hpp"
#include "core/sources/tail_checkpoint.hpp"
#include "core/sources/tail_options.hpp"

namespace leadsync {

// Follows one append-only file for the tail source, a bounded step at a
// time, committing each chunk's records with the checkpoint
// "LENGTH|HASH|OFFSET|LINE" (TailCheckpoint) in one transaction.
//
// - The file is known by a fingerprint of its first bytes. At start, the
//   checkpoint's file is looked for at the path, else among rotated copies
//   beside it (NAME.1, NAME-DATE...), whose rest is read first; when it is
//   gone, the file at the path is read from its start.
// - While following, a path that names another file (rename rotation) or
//   none (deleted) detaches the open file: it is read to its end through its
//   descriptor until it has been quiet for `rotation_grace` (its last line
//   then counts even without a line break), and the new file is read from
//   its start. A partial last line otherwise waits for its line break.
// - A file that shrinks below the position, or whose first bytes changed,
//   was truncated (copytruncate): the copy holding the rest is read first
//   when there is one, then the file again from its start.
// - With no checkpoint at all, a file present at first start is read from
//   its beginning or, with start_at: end, from its end (committed at once,
//   so a crash cannot move that start). After a reset (a checkpoint epoch
//   above 0 without a value) the file is read from its beginning.
//
// Runs on the queue thread only (reads the disk, commits); not thread-safe.
class TailFollower final {
 public:
  struct Settings {
    std::filesystem::path path;
    InputFormat format = InputFormat::kJsonl;
    TailStart start_at = TailStart::kBeginning;
    IngestOptions ingest;
    Duration rotation_grace{2'000};  // on the clock whose `now` Poll() is given
  };

  enum class Step {
    kMore,          // more can be read now: poll again at once
    kIdle,          // nothing to read until the file changes
    kBackpressure,  // the backlog is at max_pending: nothing read
    kConflict,      // the checkpoint was moved (a reset): the next poll starts from it
  };
  struct Outcome {
    Step step = Step::kIdle;
    bool committed = false;
    CommitOutcome commit{};              // when committed, or at kBackpressure
    std::vector<std::string> notices{};  // things that happened: rotation, truncation
    std::string problem{};               // what holds while it lasts: no file, a link
  };

  explicit TailFollower(Settings settings);
  ~TailFollower();
  TailFollower(const TailFollower&) = delete;
  TailFollower& operator=(const TailFollower&) = delete;

  // `now` is the source's clock (SourceContext::clock): it times the
  // rotation grace, so tests can run it on simulated time.
  [[nodiscard]] Outcome Poll(Queue& queue, std::int64_t max_pending, TimePoint now);

 private:
  struct Followed;
  struct Starting;  // start_at: end, looking for the end of the file

  void Attach(Queue& queue, TimePoint now, Outcome& outcome);
  void StepToEnd(Queue& queue, TimePoint now, Outcome& outcome);
  void Follow(OpenedFile file, std::string label, InputPosition from, bool detached);
  void CheckTruncated(Outcome& outcome);
  void CheckRotated();
  // Commits `batch` with the position `end` (when there is something new,
  // or `force`). False when the checkpoint had moved.
  bool CommitChunk(Queue& queue, IngestBatch& batch, InputPosition end, TimePoint now, Outcome& outcome,
                   bool force = false);
  void FinishDetached();

  Settings settings_;
  std::unique_ptr<Followed> followed_;
  std::unique_ptr<Starting> starting_;
  // The file drained last (rotated away): the next file at the path is a new
  // one unless it is this very file again.
  std::optional<TailCheckpoint> finished_;
  std::int64_t epoch_ = 0;
};

}  // namespace leadsync
