#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"

namespace leadsync {

class QueueService;
struct SpoolFile;
struct SpoolListing;

// The spool source: files dropped in a directory, each ingested whole.
//
// Writer convention: write NAME.tmp (or a dot-file) in the same directory
// and rename it into place when complete; a rename within one file system is
// atomic, and names starting with '.' or ending in ".tmp" are never read.
// Finished files are ingested oldest first (mtime, then name). With format
// auto the extension picks the parser (.csv, .jsonl/.ndjson, .json); other
// names are reported once and left alone.
//
// Each file's records, rejections and identity ("NAME|SIZE|SHA256HEX", the
// source's checkpoint) commit in one queue transaction; then the file moves
// to PATH/done (NAME.1, NAME.2... when taken) or is deleted. A file whose
// identity equals the stored checkpoint was committed by a run that died
// before retiring it: it is retired without being enqueued again. (So the
// same bytes dropped again under the same name right after are not ingested
// twice either.) While the queue's backlog is at `max_pending`, no file is
// read; they wait for a scan after the backlog drains.
//
// The directory is watched with inotify and rescanned every kScanPeriod
// (jittered ±10%) as a safety net; while it cannot be created, read or
// watched, that is reported once and retried every kRetryPeriod. A file that
// cannot be read is reported once and retried at each scan.
//
// Ownership: borrows the QueueService, the TimeSource and the executor; all
// must outlive Run(). Reading, hashing, parsing and committing run on the
// queue thread; everything else, including every SourceEvents call, runs on
// the executor, which must not run handlers concurrently (one io_context
// thread, or a strand). Run() must be spawned on that executor; Stop() and
// Rescan() may be called from any thread. Run() throws only what the queue throws
// (QueueError, a failed commit): the file then stays in place.
class SpoolSource final : public Source {
 public:
  static constexpr Duration kScanPeriod{5'000};
  static constexpr Duration kRetryPeriod{30'000};

  SpoolSource(SourceContext context, config::Source source);
  ~SpoolSource() override;
  SpoolSource(const SpoolSource&) = delete;
  SpoolSource& operator=(const SpoolSource&) = delete;

  // Scans at once, then on every change and every kScanPeriod, until Stop().
  [[nodiscard]] boost::asio::awaitable<void> Run() override;
  // Makes Run() return promptly: after the file being committed, if any.
  void Stop() override;
  // Scans again as soon as possible (e.g. once the backlog has drained).
  void Rescan();

 private:
  struct Wakeup;  // the timer and the inotify descriptor
  enum class Step { kIngested, kAlreadyCommitted, kVanished, kFailed, kBackpressure };
  struct FileReport {
    Step step = Step::kVanished;
    EnqueueResult result{};
    std::vector<Rejection> rejections{};
    std::string error{};  // read or retire failure
  };

  bool OpenWatch();
  [[nodiscard]] boost::asio::awaitable<bool> Scan();
  [[nodiscard]] boost::asio::awaitable<void> WaitForChange(Duration period);
  // On the queue thread.
  [[nodiscard]] FileReport ProcessFile(Queue& queue, const SpoolFile& file, std::int64_t max_pending) const;
  [[nodiscard]] FileReport Commit(Queue& queue, const SpoolFile& file, const std::string& text,
                                  const std::string& identity) const;
  // Back on the executor.
  bool Settle(const SpoolFile& file, const FileReport& report);
  void Report(const std::string& key, const std::string& what);
  void Clear(const std::string& key) { reported_.erase(key); }
  void ForgetFilesNotIn(const SpoolListing& listing);

  SourceContext context_;
  boost::asio::any_io_executor executor_;
  QueueService& queue_;
  config::Source source_;
  config::SpoolSettings spool_;
  IngestOptions ingest_options_;
  SourceEvents& events_;
  const TimeSource& clock_;
  std::unique_ptr<Wakeup> wakeup_;
  std::set<std::string> reported_;  // problems reported while they last
  bool stopped_ = false;
  bool rescan_ = false;
};

}  // namespace leadsync
