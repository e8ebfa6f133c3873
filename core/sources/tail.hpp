#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <set>
#include <string>

#include "core/clock.hpp"
#include "core/sources/dir_watch.hpp"
#include "core/sources/ingest_report.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"
#include "core/sources/tail_follower.hpp"
#include "core/sources/tail_options.hpp"

namespace leadsync {

// The tail source: follows one append-only JSONL or CSV file (a CSV file's
// first line is its header), across rotation by rename and copytruncate,
// committing each chunk of complete lines with the byte offset in one
// transaction. What it does with files is TailFollower's; this class drives
// it: at once while there is more to read, then on a change in the file's
// directory (inotify) or every kPollPeriod (jittered), and pauses while the
// queue's backlog is at max_pending.
//
// Trust: the path is opened with O_NOFOLLOW|O_NONBLOCK and must be a regular
// file; a symbolic link, a FIFO or a device there is reported and not read.
//
// Ownership and threads as SpoolSource: file work and commits on the queue
// thread, events on the executor; Stop() from any thread.
class TailSource final : public Source {
 public:
  static constexpr Duration kPollPeriod{1'000};
  static constexpr Duration kRetryPeriod{30'000};

  TailSource(SourceContext context, TailOptions options);
  ~TailSource() override;
  TailSource(const TailSource&) = delete;
  TailSource& operator=(const TailSource&) = delete;

  [[nodiscard]] boost::asio::awaitable<void> Run() override;
  void Stop() override;

  // The format a tail source reads `options` with; nullopt for json, or when
  // the name cannot tell (a tailed file must be .jsonl, .ndjson or .csv).
  [[nodiscard]] static std::optional<InputFormat> FormatOf(const TailOptions& options);

 private:
  void OpenWatch();
  void ReportOutcome(const TailFollower::Outcome& outcome);

  SourceContext context_;
  TailOptions options_;
  std::optional<InputFormat> format_;
  std::unique_ptr<TailFollower> follower_;  // used on the queue thread only
  DirectoryWatch watch_;
  IngestReport report_;
  bool stopped_ = false;
};

}  // namespace leadsync
