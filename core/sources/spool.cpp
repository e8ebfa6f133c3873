#include "core/sources/spool.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <random>
#include <span>
#include <variant>

#include "core/queue/queue_service.hpp"
#include "core/sources/spool_files.hpp"

namespace leadsync {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF;
// The watch has ended (directory deleted, moved or unmounted): reopen it on the path.
constexpr std::uint32_t kWatchEnded = IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Keys of problems reported once while they last.
constexpr const char* kWatchKey = "watch";
constexpr const char* kDirectoryKey = "directory";
constexpr const char* kBacklogKey = "backlog";
constexpr std::string_view kFilePrefix = "file:";

std::string FileKey(const std::string& name) { return std::string(kFilePrefix) + name; }

bool WatchEnded(std::span<const char> events) {
  for (std::size_t at = 0; at + sizeof(inotify_event) <= events.size();) {
    inotify_event event{};
    std::memcpy(&event, events.data() + at, sizeof event);
    if ((event.mask & kWatchEnded) != 0) return true;
    at += sizeof event + event.len;
  }
  return false;
}

}  // namespace

struct SpoolSource::Wakeup {
  explicit Wakeup(const asio::any_io_executor& executor) : timer(executor), watch(executor) {}

  [[nodiscard]] Duration Jittered(Duration period) {
    std::uniform_int_distribution<Duration::rep> spread(period.count() * 9 / 10, period.count() * 11 / 10);
    return Duration{spread(random)};
  }

  // Consumes every queued event: the scan that follows sees all the changes,
  // so what they name does not matter, only whether the watch still holds.
  void Drain(boost::system::error_code error, std::size_t size) {
    bool ended = false;
    while (!error && !ended) {
      ended = WatchEnded(std::span<const char>(events.data(), size));
      size = watch.read_some(asio::buffer(events), error);
    }
    if (ended || error != asio::error::would_block) Close();
  }

  void Close() {
    boost::system::error_code ignored;
    watch.close(ignored);
  }

  asio::steady_timer timer;
  asio::posix::stream_descriptor watch;
  std::array<char, 4096> events{};
  std::mt19937 random{std::random_device{}()};
};

SpoolSource::SpoolSource(SourceContext context, config::Source source)
    : context_(std::move(context)),
      executor_(context_.executor),
      queue_(context_.queue),
      source_(std::move(source)),
      spool_(std::get<config::SpoolSettings>(source_.settings)),
      ingest_options_{source_.name, source_.fields, source_.search_by},
      events_(context_.events),
      clock_(context_.clock),
      wakeup_(std::make_unique<Wakeup>(executor_)) {}

SpoolSource::~SpoolSource() = default;

asio::awaitable<void> SpoolSource::Run() {
  while (!stopped_) {
    const bool watching = OpenWatch();
    const bool listed = co_await Scan();
    co_await WaitForChange(watching && listed ? kScanPeriod : kRetryPeriod);
  }
  wakeup_->Close();
}

void SpoolSource::Stop() {
  asio::dispatch(executor_, [this] {
    stopped_ = true;
    wakeup_->timer.cancel();
    wakeup_->Close();
  });
}

void SpoolSource::Rescan() {
  asio::dispatch(executor_, [this] {
    rescan_ = true;
    wakeup_->timer.cancel();
  });
}

bool SpoolSource::OpenWatch() {
  if (wakeup_->watch.is_open()) return true;
  if (const std::string error = PrepareSpool(spool_.path, spool_.after); !error.empty()) {
    Report(kWatchKey, error);
    return false;
  }
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0 || ::inotify_add_watch(fd, spool_.path.c_str(), kWatchMask) < 0) {
    Report(kWatchKey, "cannot watch " + spool_.path.string() + ": " + std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return false;
  }
  wakeup_->watch.assign(fd);
  wakeup_->watch.non_blocking(true);
  Clear(kWatchKey);
  return true;
}

asio::awaitable<bool> SpoolSource::Scan() {
  rescan_ = false;
  // Named, not a temporary inside co_await: GCC 12 destroys such a
  // temporary's captures twice.
  auto list = [this](Queue& queue) {
    SpoolListing listing = ListSpool(spool_.path, spool_.format);
    if (const auto checkpoint = queue.ReadCheckpoint(source_.name).value)
      PutCommittedFirst(listing, *checkpoint);
    return listing;
  };
  const SpoolListing listing = co_await queue_.Submit(list);
  if (!listing.error.empty()) {
    Report(kDirectoryKey, listing.error);
    co_return false;
  }
  Clear(kDirectoryKey);
  ForgetFilesNotIn(listing);
  for (const std::string& name : listing.unsupported) {
    Report(FileKey(name), name + ": not ingested: unsupported extension (.csv, .jsonl, .ndjson, .json)");
  }
  for (const SpoolFile& file : listing.files) {
    if (stopped_) break;
    const std::int64_t limit = context_.backpressure.limit();
    const FileReport report = co_await queue_.Submit(
        [this, &file, limit](Queue& queue) { return ProcessFile(queue, file, limit); });
    if (!Settle(file, report)) break;
  }
  co_return true;
}

asio::awaitable<void> SpoolSource::WaitForChange(Duration period) {
  if (rescan_ || stopped_) co_return;
  Wakeup& wakeup = *wakeup_;
  wakeup.timer.expires_after(wakeup.Jittered(period));
  if (!wakeup.watch.is_open()) {
    co_await wakeup.timer.async_wait(kNoThrow);
    co_return;
  }
  auto woken = co_await (wakeup.timer.async_wait(kNoThrow) ||
                         wakeup.watch.async_read_some(asio::buffer(wakeup.events), kNoThrow));
  if (woken.index() == 1) {
    const auto [error, size] = std::get<1>(woken);
    wakeup.Drain(error, size);
  }
}

SpoolSource::FileReport SpoolSource::ProcessFile(Queue& queue, const SpoolFile& file,
                                                 std::int64_t max_pending) const {
  if (queue.Backlog() >= max_pending) return {.step = Step::kBackpressure};
  std::error_code error;
  const std::optional<std::string> text = ReadWholeFile(file.path, error);
  if (!text) {
    if (error == std::errc::no_such_file_or_directory) return {.step = Step::kVanished};
    return {.step = Step::kFailed, .error = "cannot read " + file.name + ": " + error.message()};
  }
  const std::string identity = FileIdentity(file.name, *text);
  FileReport report{.step = Step::kAlreadyCommitted};
  if (queue.ReadCheckpoint(source_.name).value != identity) report = Commit(queue, file, *text, identity);
  report.error = RetireFile(file, spool_.path, spool_.after);
  return report;
}

SpoolSource::FileReport SpoolSource::Commit(Queue& queue, const SpoolFile& file, const std::string& text,
                                            const std::string& identity) const {
  const IngestBatch batch = Ingest(text, file.format, ingest_options_, file.name);
  const EnqueueResult result =
      queue.Enqueue(batch.leads, batch.rejections, CheckpointUpdate{source_.name, identity}, clock_.Now());
  return {.step = Step::kIngested, .result = result, .rejections = batch.rejections};
}

bool SpoolSource::Settle(const SpoolFile& file, const FileReport& report) {
  if (report.step == Step::kBackpressure) {
    Report(kBacklogKey, "queue backlog at max_pending (" + std::to_string(context_.backpressure.limit()) +
                            "): " + file.name + " and later files wait");
    return false;
  }
  Clear(kBacklogKey);
  if (report.step == Step::kIngested) {
    if (events_.on_ingested) events_.on_ingested(source_.name, report.result, report.rejections);
    if (events_.on_enqueued) events_.on_enqueued();
  }
  if (report.error.empty()) {
    Clear(FileKey(file.name));
    return true;
  }
  Report(FileKey(file.name), report.error);
  // Committed but not retired: committing another file now would replace its
  // checkpoint, and the next scan would ingest it again.
  return report.step == Step::kFailed;
}

void SpoolSource::Report(const std::string& key, const std::string& what) {
  if (reported_.insert(key).second && events_.on_error) events_.on_error(source_.name, what);
}

void SpoolSource::ForgetFilesNotIn(const SpoolListing& listing) {
  std::set<std::string> present;
  for (const SpoolFile& file : listing.files) present.insert(FileKey(file.name));
  for (const std::string& name : listing.unsupported) present.insert(FileKey(name));
  std::erase_if(reported_, [&](const std::string& key) {
    return key.starts_with(kFilePrefix) && !present.contains(key);
  });
}

}  // namespace leadsync
