#include "core/sources/spool.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "core/queue/queue_service.hpp"
#include "core/sources/spool_files.hpp"
#include "core/sources/spool_permissions.hpp"

namespace leadsync {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF;

// Keys of problems reported once while they last.
constexpr const char* kWatchKey = "watch";
constexpr const char* kDirectoryKey = "directory";
constexpr const char* kDoneKey = "done";
constexpr std::string_view kFilePrefix = "file:";
constexpr const char* kWriterPrefix = "writer:";

std::string FileKey(const std::string& name) { return std::string(kFilePrefix) + name; }

}  // namespace

SpoolSource::SpoolSource(SourceContext context, SpoolOptions options)
    : context_(std::move(context)),
      executor_(context_.executor),
      queue_(context_.queue),
      options_(std::move(options)),
      settings_{options_.ingest, options_.max_file_size},
      clock_(context_.clock),
      report_(context_, options_.ingest.source),
      watch_(executor_, clock_) {}

SpoolSource::~SpoolSource() = default;

asio::awaitable<void> SpoolSource::Run() {
  while (!stopped_) {
    const ScanEnd end = OpenSpool() ? co_await Scan() : ScanEnd::kUnreadable;
    if (end == ScanEnd::kAgain || stopped_) continue;
    if (end == ScanEnd::kBackpressure) {
      co_await WaitForRoom();
    } else if (!rescan_) {
      const bool healthy = end != ScanEnd::kUnreadable && watch_.is_open();
      co_await watch_.Wait(healthy ? kScanPeriod : kRetryPeriod);
    }
  }
  watch_.Close();
  directory_.Close();
}

void SpoolSource::Stop() {
  asio::dispatch(executor_, [this] {
    stopped_ = true;
    watch_.Cancel();
  });
}

void SpoolSource::Rescan() {
  asio::dispatch(executor_, [this] {
    rescan_ = true;
    watch_.Cancel();
  });
}

bool SpoolSource::OpenSpool() {
  if (watch_.is_open() && directory_.is_open()) return true;
  std::optional<std::string> error = directory_.Open(options_.path, options_.after, options_.create);
  if (!error) error = watch_.Open(options_.path, kWatchMask);
  if (error) {
    ReportProblem(kWatchKey, *error);
    report_.SetWorking(false);
    return false;
  }
  ClearProblem(kWatchKey);
  return true;
}

asio::awaitable<SpoolSource::ScanEnd> SpoolSource::Scan() {
  rescan_ = false;
  // Named, not a temporary inside co_await: GCC 12 destroys such a
  // temporary's captures twice.
  auto list = [this](Queue& queue) {
    SpoolListing listing = ListSpool(directory_.fd(), options_.format, options_.max_file_size);
    if (const auto checkpoint = queue.ReadCheckpoint(options_.ingest.source).value)
      PutCommittedFirst(listing, *checkpoint);
    return listing;
  };
  const SpoolListing listing = co_await queue_.Submit(list);
  if (!listing.error.empty()) {
    ReportProblem(kDirectoryKey, options_.path.string() + ": " + listing.error);
    report_.SetWorking(false);
    co_return ScanEnd::kUnreadable;
  }
  ClearProblem(kDirectoryKey);
  report_.SetWorking(true);
  ReportListing(listing);
  for (const SpoolFile& file : listing.files) {
    if (stopped_) break;
    if (const ScanEnd end = co_await IngestFile(file); end != ScanEnd::kDone) co_return end;
  }
  co_return ScanEnd::kDone;
}

void SpoolSource::ReportListing(const SpoolListing& listing) {
  ForgetFilesNotIn(listing);
  for (const std::string& name : listing.unsupported) {
    ReportProblem(FileKey(name),
                  name + ": not ingested: unsupported extension (.csv, .jsonl, .ndjson, .json)");
  }
  for (const RefusedEntry& entry : listing.refused) {
    ReportProblem(FileKey(entry.name), entry.name + ": not ingested: " + entry.reason);
  }
}

asio::awaitable<SpoolSource::ScanEnd> SpoolSource::IngestFile(const SpoolFile& file) {
  auto open = [&](Queue& queue) { return SpoolFileIngest::Open(queue, directory_.fd(), file, settings_); };
  SpoolFileIngest::Opening opening = co_await queue_.Submit(open);
  using Kind = SpoolFileIngest::Opening::Kind;
  if (opening.kind == Kind::kVanished) co_return ScanEnd::kDone;
  if (opening.kind == Kind::kRefused || opening.kind == Kind::kFailed) {
    const char* what = opening.kind == Kind::kRefused ? ": not ingested: " : ": cannot read: ";
    ReportProblem(FileKey(file.name), file.name + what + opening.reason);
    co_return ScanEnd::kDone;
  }
  ReportIfOthersCanRead(file.name, opening.file->info());
  if (opening.kind == Kind::kReady) {
    if (const ScanEnd end = co_await CommitAll(*opening.file); end != ScanEnd::kDone) co_return end;
  }
  co_return co_await Retire(*opening.file);
}

asio::awaitable<SpoolSource::ScanEnd> SpoolSource::CommitAll(SpoolFileIngest& file) {
  const std::int64_t max_pending = context_.backpressure.limit();
  while (true) {
    const TimePoint now = clock_.Now();
    auto commit = [&](Queue& queue) { return file.CommitNext(queue, max_pending, now); };
    const SpoolFileIngest::Outcome outcome = co_await queue_.Submit(commit);
    ReportOutcome(outcome);
    switch (outcome.step) {
      case SpoolFileIngest::Step::kDone:
        co_return ScanEnd::kDone;
      case SpoolFileIngest::Step::kBackpressure:
        co_return ScanEnd::kBackpressure;
      case SpoolFileIngest::Step::kConflict:
        co_return ScanEnd::kAgain;
      case SpoolFileIngest::Step::kFailed:
        ReportProblem(FileKey(file.name()), outcome.error);
        // Committed in part: reading another file now would move the
        // checkpoint past what is left of this one.
        co_return file.committed() ? ScanEnd::kBlocked : ScanEnd::kDone;
      case SpoolFileIngest::Step::kCommitted:
      case SpoolFileIngest::Step::kChecking:
        break;
    }
    if (stopped_) co_return ScanEnd::kBlocked;
  }
}

asio::awaitable<SpoolSource::ScanEnd> SpoolSource::Retire(SpoolFileIngest& file) {
  auto retire = [&](Queue&) { return file.Retire(directory_, options_.after); };
  const RetireResult result = co_await queue_.Submit(retire);
  if (!result.notice.empty()) ReportProblem(kDoneKey, result.notice);
  const std::string key = FileKey(file.name());
  if (result.error.empty()) {
    ClearProblem(key);
    co_return ScanEnd::kDone;
  }
  ReportProblem(key, result.error);
  // Committed but not retired: committing another file now would replace its
  // checkpoint, and the next scan would ingest it again.
  co_return ScanEnd::kBlocked;
}

asio::awaitable<void> SpoolSource::WaitForRoom() {
  co_await (context_.backpressure.WaitForRoom() || watch_.Wait(kScanPeriod));
}

void SpoolSource::ReportOutcome(const SpoolFileIngest::Outcome& outcome) {
  using Step = SpoolFileIngest::Step;
  if (outcome.step == Step::kBackpressure) {
    report_.Full(outcome.commit.backlog, "queue backlog at max_pending (" +
                                             std::to_string(context_.backpressure.limit()) +
                                             "): spool files wait in place");
  } else if (outcome.step == Step::kCommitted || outcome.step == Step::kDone) {
    report_.Committed(outcome.commit);
  }
}

void SpoolSource::ReportIfOthersCanRead(const std::string& name, const struct stat& info) {
  if (!OtherWritersCanRead(info, directory_.info())) return;
  // Once per writer's account: the fix is that writer's, whatever the file.
  ReportProblem(kWriterPrefix + std::to_string(info.st_uid),
                name + ": other writers of " + options_.path.string() + " can read it (" +
                    DescribeOwnership(info) +
                    "): writers must create spool files in the spool with mode 0604; ingested all the same");
}

void SpoolSource::ForgetFilesNotIn(const SpoolListing& listing) {
  std::set<std::string> present;
  for (const SpoolFile& file : listing.files) present.insert(FileKey(file.name));
  for (const std::string& name : listing.unsupported) present.insert(FileKey(name));
  for (const RefusedEntry& entry : listing.refused) present.insert(FileKey(entry.name));
  report_.ClearIf(
      [&](const std::string& key) { return key.starts_with(kFilePrefix) && !present.contains(key); });
}

}  // namespace leadsync
