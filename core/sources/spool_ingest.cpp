#include "core/sources/spool_ingest.hpp"

namespace leadsync {
namespace {

using Opening = SpoolFileIngest::Opening;

std::int64_t MtimeNs(const struct stat& info) {
  return std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
}

Opening::Kind KindOf(OpenRefusal::Kind kind) {
  switch (kind) {
    case OpenRefusal::Kind::kVanished:
      return Opening::Kind::kVanished;
    case OpenRefusal::Kind::kRefused:
      return Opening::Kind::kRefused;
    case OpenRefusal::Kind::kFailed:
      break;
  }
  return Opening::Kind::kFailed;
}

// Whether the stored checkpoint says `identity` was committed whole: in this
// version's form, or in the whole-file form of earlier versions.
bool CommittedWhole(const std::optional<std::string>& stored, const SpoolFileIdentity& identity, int fd) {
  if (!stored) return false;
  const auto legacy = LegacySpoolCheckpoint::Parse(*stored);
  return legacy && legacy->name == identity.name && legacy->size == identity.size &&
         HashPrefix(fd, identity.size, legacy->sha256.size()) == legacy->sha256;
}

}  // namespace

SpoolFileIngest::SpoolFileIngest(OpenedFile file, SpoolCheckpoint checkpoint, std::int64_t epoch,
                                 InputFormat format, const IngestOptions& options)
    : source_(options.source),
      file_(std::move(file)),
      checkpoint_(std::move(checkpoint)),
      epoch_(epoch),
      stream_(IngestStream::Input{file_.fd.get(), true, checkpoint_.file.size, true}, format, options,
              checkpoint_.file.name, checkpoint_.position) {}

Opening SpoolFileIngest::Open(Queue& queue, int dir_fd, const SpoolFile& file, const Settings& settings) {
  OpenRefusal refusal;
  std::optional<OpenedFile> opened = OpenRegularFile(dir_fd, file.name, settings.max_file_size, refusal);
  if (!opened) return {KindOf(refusal.kind), refusal.reason, nullptr};
  const auto size = static_cast<std::uint64_t>(opened->info.st_size);
  std::optional<SpoolFileIdentity> identity =
      IdentifySpoolFile(opened->fd.get(), file.name, size, MtimeNs(opened->info));
  if (!identity) return {Opening::Kind::kFailed, "cannot read it", nullptr};
  const Checkpoint stored = queue.ReadCheckpoint(settings.ingest.source);
  SpoolCheckpoint checkpoint{*identity, {}};
  bool committed = false;
  if (const auto parsed = stored.value ? SpoolCheckpoint::Parse(*stored.value) : std::nullopt;
      parsed && parsed->file == *identity) {
    checkpoint.position = parsed->position;
    committed = true;
  } else if (CommittedWhole(stored.value, *identity, opened->fd.get())) {
    checkpoint.position.offset = size;
    committed = true;
  }
  auto ingest = std::make_unique<SpoolFileIngest>(*std::move(opened), checkpoint, stored.epoch, file.format,
                                                  settings.ingest);
  ingest->committed_ = committed;
  const bool whole = committed && checkpoint.complete();
  return {whole ? Opening::Kind::kAlreadyCommitted : Opening::Kind::kReady, {}, std::move(ingest)};
}

SpoolFileIngest::Outcome SpoolFileIngest::CommitNext(Queue& queue, std::int64_t max_pending, TimePoint now) {
  Outcome outcome;
  const std::optional<ChunkLimits> limits = LimitsUnder(queue, max_pending);
  if (!limits) {
    outcome.step = Step::kBackpressure;
    outcome.commit = FullAt(queue.Backlog());
    return outcome;
  }
  IngestChunk chunk = stream_.Next(*limits);
  if (chunk.state == IngestChunk::State::kFailed) {
    outcome.error = "cannot read " + checkpoint_.file.name + ": " + chunk.error;
    return outcome;
  }
  const bool done = chunk.state == IngestChunk::State::kEnd || chunk.state == IngestChunk::State::kPending;
  if (done) chunk.end.offset = checkpoint_.file.size;
  if (!done && chunk.batch.leads.empty() && chunk.batch.rejections.empty() &&
      chunk.end == checkpoint_.position) {
    outcome.step = Step::kChecking;
    return outcome;
  }
  SpoolCheckpoint next = checkpoint_;
  next.position = chunk.end;
  outcome.commit =
      CommitBatch(queue, std::move(chunk.batch), CheckpointUpdate{source_, next.Format(), epoch_}, now);
  if (outcome.commit.state == CommitOutcome::State::kConflict) {
    outcome.step = Step::kConflict;
    return outcome;
  }
  checkpoint_ = std::move(next);
  committed_ = true;
  outcome.step = done ? Step::kDone : Step::kCommitted;
  return outcome;
}

RetireResult SpoolFileIngest::Retire(SpoolDirectory& directory, AfterIngest after) const {
  return directory.Retire(checkpoint_.file.name, file_.info, after);
}

}  // namespace leadsync
