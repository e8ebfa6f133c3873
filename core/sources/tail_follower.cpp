#include "core/sources/tail_follower.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "core/sources/ingest_stream.hpp"
#include "core/sources/regular_file.hpp"
#include "core/sources/tail_files.hpp"

namespace leadsync {
namespace {

std::uint64_t SizeOf(const OpenedFile& file) {
  struct stat info {};
  if (::fstat(file.fd.get(), &info) != 0) return 0;
  return static_cast<std::uint64_t>(info.st_size);
}

}  // namespace

struct TailFollower::Followed {
  OpenedFile file;
  std::string label;  // the file's name, for "file:line"
  Fingerprint fingerprint;
  InputPosition committed;
  std::unique_ptr<IngestStream> stream;
  bool detached = false;   // the path names another file now, or none
  bool completed = false;  // told the stream that the file will not grow
  std::uint64_t seen_size = 0;
  std::optional<TimePoint> grew_at;  // first seen at the first poll after it was followed

  // Whether the file has not grown for `grace` by `now` (the source's clock).
  bool Quiet(Duration grace, TimePoint now) {
    const std::uint64_t size = SizeOf(file);
    if (!grew_at || size != seen_size) {
      seen_size = size;
      grew_at = now;
    }
    return now - *grew_at >= grace;
  }
};

struct TailFollower::Starting {
  Starting(OpenedFile opened, const Settings& settings)
      : file(std::move(opened)), end(file.fd.get(), settings.format, settings.ingest.limits.max_record) {}
  OpenedFile file;
  EndOfRecords end;
};

TailFollower::TailFollower(Settings settings) : settings_(std::move(settings)) {}

TailFollower::~TailFollower() = default;

TailFollower::Outcome TailFollower::Poll(Queue& queue, std::int64_t max_pending, TimePoint now) {
  Outcome outcome;
  if (followed_ && queue.ReadCheckpoint(settings_.ingest.source).epoch != epoch_) {
    // Moved on purpose (leadsync source reset): start again from it, even
    // while the file is idle and no commit would notice.
    followed_.reset();
    finished_.reset();
  }
  if (starting_) {
    StepToEnd(queue, now, outcome);
    return outcome;
  }
  if (!followed_) Attach(queue, now, outcome);
  if (!followed_) return outcome;
  if (!followed_->detached) CheckTruncated(outcome);
  const std::optional<ChunkLimits> limits = LimitsUnder(queue, max_pending);
  if (!limits) {
    outcome.step = Step::kBackpressure;
    outcome.commit = FullAt(queue.Backlog());
    return outcome;
  }
  IngestChunk chunk = followed_->stream->Next(*limits);
  if (chunk.state == IngestChunk::State::kFailed) {
    outcome.problem = "cannot read " + followed_->label + ": " + chunk.error;
    return outcome;
  }
  if (!CommitChunk(queue, chunk.batch, chunk.end, now, outcome)) return outcome;
  if (chunk.state == IngestChunk::State::kMore) {
    outcome.step = Step::kMore;
  } else if (followed_->completed) {
    FinishDetached();
    outcome.step = Step::kMore;
  } else {
    if (!followed_->detached) CheckRotated();
    if (followed_->Quiet(settings_.rotation_grace, now) && followed_->detached) {
      // Rotated and quiet: its writer has moved on, so a last line without
      // a line break is complete.
      followed_->stream->SetComplete();
      followed_->completed = true;
      outcome.step = Step::kMore;
    }
  }
  return outcome;
}

void TailFollower::Attach(Queue& queue, TimePoint now, Outcome& outcome) {
  const Checkpoint stored = queue.ReadCheckpoint(settings_.ingest.source);
  epoch_ = stored.epoch;
  const std::string path = settings_.path.string();
  OpenRefusal refusal;
  std::optional<OpenedFile> at_path = OpenRegularFile(AT_FDCWD, path, std::nullopt, refusal);
  if (!at_path && refusal.kind != OpenRefusal::Kind::kVanished) {
    outcome.problem = path + ": not followed: " + refusal.reason;
  }
  std::optional<TailCheckpoint> reference = finished_;
  const bool from_stored = !reference && stored.value;
  if (from_stored) {
    reference = TailCheckpoint::Parse(*stored.value);
    if (!reference) outcome.notices.push_back("checkpoint '" + *stored.value + "' is not a tail position");
  }
  const std::string label = settings_.path.filename().string();
  if (reference && at_path && SizeOf(*at_path) >= reference->position.offset &&
      Matches(at_path->fd.get(), reference->file)) {
    Follow(*std::move(at_path), label, reference->position, false);
    finished_.reset();
    return;
  }
  if (reference && from_stored) {
    if (std::optional<FoundFile> rotated =
            FindRotated(settings_.path, reference->file, reference->position.offset)) {
      Follow(std::move(rotated->file), rotated->name, reference->position, true);
      return;
    }
    outcome.notices.push_back("the file of the checkpoint is no longer at " + path +
                              " nor beside it (truncated, or rotated and removed): reading " + path +
                              " from its start");
  }
  if (!at_path) {
    if (outcome.problem.empty()) outcome.problem = "waiting for " + path + " to appear";
    return;
  }
  finished_.reset();
  if (stored.value || stored.epoch != 0 || settings_.start_at == TailStart::kBeginning) {
    Follow(*std::move(at_path), label, {}, false);
    return;
  }
  starting_ = std::make_unique<Starting>(*std::move(at_path), settings_);
  StepToEnd(queue, now, outcome);
}

// First start with start_at: end. The start is committed as soon as it is
// found, so that a crash before the next line cannot move it to a later end.
void TailFollower::StepToEnd(Queue& queue, TimePoint now, Outcome& outcome) {
  outcome.step = Step::kMore;
  const std::optional<InputPosition> end = starting_->end.Step(ChunkLimits{}.time);
  if (!end) return;
  Follow(std::move(starting_->file), settings_.path.filename().string(), *end, false);
  starting_.reset();
  IngestBatch nothing;
  CommitChunk(queue, nothing, *end, now, outcome, /*force=*/true);
}

void TailFollower::Follow(OpenedFile file, std::string label, InputPosition from, bool detached) {
  auto followed = std::make_unique<Followed>();
  followed->seen_size = SizeOf(file);
  followed->fingerprint = TakeFingerprint(file.fd.get(), followed->seen_size).value_or(Fingerprint{});
  followed->file = std::move(file);
  followed->label = std::move(label);
  followed->committed = from;
  followed->detached = detached;
  followed->stream =
      std::make_unique<IngestStream>(IngestStream::Input{followed->file.fd.get(), true, {}, false},
                                     settings_.format, settings_.ingest, followed->label, from);
  followed_ = std::move(followed);
}

void TailFollower::CheckTruncated(Outcome& outcome) {
  const std::uint64_t size = SizeOf(followed_->file);
  const InputPosition at = followed_->committed;
  if (size >= at.offset && Matches(followed_->file.fd.get(), followed_->fingerprint)) return;
  const std::string& label = followed_->label;
  outcome.notices.push_back(label + " shrank below the position read (" + std::to_string(size) + " < " +
                            std::to_string(at.offset) + " bytes) or its first bytes changed: truncated");
  if (std::optional<FoundFile> copy = FindRotated(settings_.path, followed_->fingerprint, at.offset)) {
    outcome.notices.push_back("reading the rest of it from " + copy->name + " first (copytruncate)");
    Follow(std::move(copy->file), copy->name, at, true);
    return;
  }
  outcome.notices.push_back("reading " + label + " again from its start");
  OpenedFile same = std::move(followed_->file);
  Follow(std::move(same), label, {}, false);
}

void TailFollower::CheckRotated() {
  struct stat now {};
  if (::fstatat(AT_FDCWD, settings_.path.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0) {
    if (SameFile(now, followed_->file.info)) return;
  } else if (errno != ENOENT) {
    return;  // cannot tell (permissions): keep following what is open
  }
  followed_->detached = true;
}

bool TailFollower::CommitChunk(Queue& queue, IngestBatch& batch, InputPosition end, TimePoint now,
                               Outcome& outcome, bool force) {
  if (!force && batch.leads.empty() && batch.rejections.empty() && end == followed_->committed) return true;
  Followed& followed = *followed_;
  if (followed.fingerprint.length < Fingerprint::kMaxBytes) {
    // The first bytes were checked this poll; more of them make a surer fingerprint.
    followed.fingerprint =
        TakeFingerprint(followed.file.fd.get(), SizeOf(followed.file)).value_or(followed.fingerprint);
  }
  const TailCheckpoint checkpoint{followed.fingerprint, end};
  outcome.commit = CommitBatch(queue, std::move(batch),
                               CheckpointUpdate{settings_.ingest.source, checkpoint.Format(), epoch_}, now);
  if (outcome.commit.state == CommitOutcome::State::kConflict) {
    followed_.reset();
    finished_.reset();
    outcome.step = Step::kConflict;
    return false;
  }
  followed.committed = end;
  outcome.committed = true;
  return true;
}

void TailFollower::FinishDetached() {
  finished_ = TailCheckpoint{followed_->fingerprint, followed_->committed};
  followed_.reset();
}

}  // namespace leadsync
