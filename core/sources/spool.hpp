#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "core/sources/dir_watch.hpp"
#include "core/sources/ingest_report.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"
#include "core/sources/spool_directory.hpp"
#include "core/sources/spool_ingest.hpp"
#include "core/sources/spool_options.hpp"
#include "core/timer.hpp"

namespace leadsync {

struct SpoolListing;

// The spool source: files dropped in a directory, each ingested once.
//
// Writer convention: write NAME.tmp (or a dot-file) in the same directory
// and rename it into place when complete; a rename within one file system is
// atomic, and names starting with '.' or ending in ".tmp" are never read.
// Finished files are ingested oldest first (mtime, then name). With format
// auto the extension picks the parser (.csv, .jsonl/.ndjson, .json); other
// names are reported once and left alone.
//
// Trust: entries are looked at without following links; only regular files
// within max_file_size are opened (O_NOFOLLOW|O_NONBLOCK), checked again
// through the descriptor and read only through it. Symbolic links, FIFOs,
// devices, sockets, directories and larger files are reported once (and
// counted as source errors) and left alone; newer files go on. A file other
// writers of a shared spool can read (see OtherWritersCanRead) is ingested
// and reported once per writer's account, so the operator can fix its mode.
//
// A file is read in bounded chunks (SpoolFileIngest): each chunk's records,
// rejections and the checkpoint "NAME|SIZE|MTIME_NS|HEAD|OFFSET|LINE" commit
// in one transaction, so memory and the time a commit holds the queue thread
// are bounded whatever the file's size. A crash resumes after the last
// committed chunk; a file committed whole but not yet retired is only
// retired. Retired files move to PATH/done (see SpoolDirectory) or are
// deleted; a done/ the daemon does not own, or that is open to writers, is
// reported (a source error) and the source ingests nothing until it is
// fixed. While a file is committed in part or whole but not retired, no
// other file is committed, so that an older file never overwrites newer
// values. While the backlog is at `max_pending`, no chunk is read: the file
// stays in place, and reading resumes when the backlog drains.
//
// The directory is watched with inotify and rescanned every kScanPeriod
// (jittered ±10%); while it cannot be created, read or watched, or its done/
// is refused, that is reported once and retried every kRetryPeriod.
//
// Ownership: borrows the QueueService, the Clock and the executor; all
// must outlive Run(). Reading, parsing, committing and retiring run on the
// queue thread; everything else, including every SourceEvents call, runs on
// the executor, which must not run handlers concurrently. Run() must be
// spawned on that executor; Stop() and Rescan() may be called from any
// thread. Run() throws only what the queue throws.
class SpoolSource final : public Source {
 public:
  static constexpr Duration kScanPeriod{5'000};
  static constexpr Duration kRetryPeriod{30'000};

  SpoolSource(SourceContext context, SpoolOptions options);
  ~SpoolSource() override;
  SpoolSource(const SpoolSource&) = delete;
  SpoolSource& operator=(const SpoolSource&) = delete;

  // Scans at once, then on every change and every kScanPeriod, until Stop().
  [[nodiscard]] boost::asio::awaitable<void> Run() override;
  // Makes Run() return promptly: after the chunk being committed, if any.
  void Stop() override;
  // Scans again as soon as possible (e.g. once the backlog has drained).
  void Rescan();

 private:
  // How a scan ended: kDone (all files seen), kUnreadable (the directory:
  // retry slowly), kBlocked (a file must be finished first), kBackpressure,
  // kAgain (the checkpoint was reset: scan again now).
  enum class ScanEnd { kDone, kUnreadable, kBlocked, kBackpressure, kAgain };

  bool OpenSpool();
  [[nodiscard]] boost::asio::awaitable<ScanEnd> Scan();
  void ReportListing(const SpoolListing& listing);
  void ReportIfOthersCanRead(const std::string& name, const struct stat& info);
  // Ingests one file; kDone to go on with the next one.
  [[nodiscard]] boost::asio::awaitable<ScanEnd> IngestFile(const SpoolFile& file);
  [[nodiscard]] boost::asio::awaitable<ScanEnd> CommitAll(SpoolFileIngest& file);
  [[nodiscard]] boost::asio::awaitable<ScanEnd> Retire(SpoolFileIngest& file);
  [[nodiscard]] boost::asio::awaitable<void> WaitForRoom();
  void ReportOutcome(const SpoolFileIngest::Outcome& outcome);
  void ReportProblem(const std::string& key, const std::string& what) { report_.Error(key, what); }
  void ClearProblem(const std::string& key) { report_.Clear(key); }
  void ForgetFilesNotIn(const SpoolListing& listing);

  SourceContext context_;
  boost::asio::any_io_executor executor_;
  QueueService& queue_;
  SpoolOptions options_;
  SpoolFileIngest::Settings settings_;
  Clock& clock_;
  IngestReport report_;
  DirectoryWatch watch_;
  SpoolDirectory directory_;
  bool stopped_ = false;
  bool rescan_ = false;
};

}  // namespace leadsync
