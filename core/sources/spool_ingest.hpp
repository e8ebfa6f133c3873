#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/queue.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/ingest_commit.hpp"
#include "core/sources/ingest_stream.hpp"
#include "core/sources/regular_file.hpp"
#include "core/sources/spool_checkpoint.hpp"
#include "core/sources/spool_directory.hpp"
#include "core/sources/spool_files.hpp"

namespace leadsync {

// One spool file being ingested: opened once through the trust checks, read
// a chunk at a time, each chunk committed with the checkpoint "this file, up
// to here" in the same transaction, then retired. A file whose checkpoint
// says it was committed in part resumes after the last committed chunk; one
// committed whole is only retired.
//
// Every method runs on the queue thread (it reads the disk and commits);
// the object is created, kept and destroyed by the spool source between
// those calls. Not thread-safe.
class SpoolFileIngest final {
 public:
  struct Settings {
    IngestOptions ingest;
    std::uint64_t max_file_size = 0;
  };

  struct Opening {
    enum class Kind { kReady, kAlreadyCommitted, kVanished, kRefused, kFailed };
    Kind kind = Kind::kFailed;
    std::string reason;                     // kRefused, kFailed
    std::unique_ptr<SpoolFileIngest> file;  // kReady, kAlreadyCommitted
  };

  enum class Step {
    kCommitted,     // a chunk is in the queue; more to read
    kChecking,      // no records yet (a JSON file's structure check); call again
    kDone,          // the whole file is committed: retire it
    kBackpressure,  // the backlog is at max_pending: nothing read
    kConflict,      // the checkpoint was moved (a reset): start again from it
    kFailed,        // a read failed: `error`
  };
  struct Outcome {
    Step step = Step::kFailed;
    CommitOutcome commit{};  // kCommitted, kDone, kBackpressure
    std::string error{};
  };

  [[nodiscard]] static Opening Open(Queue& queue, int dir_fd, const SpoolFile& file,
                                    const Settings& settings);

  // Reads and commits the next chunk (CommitBatch), unless the backlog is at
  // `max_pending` (a chunk holds no more records than RoomUnder).
  [[nodiscard]] Outcome CommitNext(Queue& queue, std::int64_t max_pending, TimePoint now);
  [[nodiscard]] RetireResult Retire(SpoolDirectory& directory, AfterIngest after) const;
  // Whether some of this file is in the queue under its checkpoint: until
  // it is retired, committing another file would lose that position.
  [[nodiscard]] bool committed() const { return committed_; }
  [[nodiscard]] const std::string& name() const { return checkpoint_.file.name; }
  // fstat() of the descriptor the file is read through.
  [[nodiscard]] const struct stat& info() const { return file_.info; }

  SpoolFileIngest(OpenedFile file, SpoolCheckpoint checkpoint, std::int64_t epoch, InputFormat format,
                  const IngestOptions& options);

 private:
  std::string source_;
  OpenedFile file_;
  SpoolCheckpoint checkpoint_;
  std::int64_t epoch_;
  IngestStream stream_;
  bool committed_ = false;
};

}  // namespace leadsync
