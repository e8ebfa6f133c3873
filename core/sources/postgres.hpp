#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "core/sources/ingest_report.hpp"
#include "core/sources/poll_schedule.hpp"
#include "core/sources/postgres_cursor.hpp"
#include "core/sources/postgres_options.hpp"
#include "core/sources/postgres_poller.hpp"
#include "core/sources/postgres_ties.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"
#include "core/timer.hpp"

namespace leadsync {

class QueueService;

// The postgres source: incremental pull by cursor (`type: postgres`).
//
// Each poll reads the checkpoint and its epoch, runs the configured query
// from there ($1..$N: the checkpoint's cursor values, else cursor_start) and
// commits the page's leads and rejections together with the last row's
// cursor as the new checkpoint, in one queue transaction that holds only if
// the epoch is still the one read at the start. So `leadsync source reset`
// takes effect at the next poll without a restart, and a page read from the
// old position while the reset happened is discarded, never committed over
// the new one.
//
// Ties: the query takes cursor >= $1, so rows sharing the checkpoint's value
// are read again rather than skipped; those already committed unchanged are
// left out (TieMemory). A full page (its row count reached the query's own
// LIMIT, or its text max_page_bytes) whose rows all share one cursor value
// could never be left: it is reported as an error that names the fix (a
// composite cursor).
//
// TLS: the connection uses sslmode=verify-full unless the DSN sets another
// mode (daemon/ warns of a weaker one once, when it makes the source).
//
// cursor_delay: rows whose first cursor column is less than cursor_delay
// behind the server's now() are not read yet, nor anything after them, so a
// transaction that commits late with an older timestamp is still picked up
// if it commits within the delay (PollQuery).
//
// Timing: a poll every `interval` (±10%); at once again after a full page;
// after a failure (connect, query, a page that cannot be used), reported
// through SourceEvents::on_error, the wait doubles up to 5 minutes. A lost
// connection is made again at the next poll. While the queue's backlog is at
// max_pending no poll runs; polling resumes when room appears.
//
// Threads: libpq runs on a worker thread of this source's own (the poller),
// queue work on the queue thread, everything else, including every
// SourceEvents call, on the executor, which must not run handlers
// concurrently. Run() is spawned on the executor; Stop() may be called from
// any thread and cancels a query in progress. Run() throws only what the
// queue throws. Borrows the context's parts; they must outlive Run().
class PostgresSource final : public Source {
 public:
  PostgresSource(SourceContext context, PostgresOptions options);
  ~PostgresSource() override;
  PostgresSource(const PostgresSource&) = delete;
  PostgresSource& operator=(const PostgresSource&) = delete;

  [[nodiscard]] boost::asio::awaitable<void> Run() override;
  void Stop() override;

  // Polls that ran a query to the end, successful or not; whether the source
  // waits for room in the queue. For tests and status; any thread.
  [[nodiscard]] std::int64_t polls() const { return polls_.load(); }
  [[nodiscard]] bool paused() const { return paused_.load(); }

 private:
  struct Start;

  // One poll; returns how long to wait before the next.
  [[nodiscard]] boost::asio::awaitable<Duration> PollOnce();
  [[nodiscard]] boost::asio::awaitable<Duration> WaitForRoom(std::int64_t backlog);
  [[nodiscard]] boost::asio::awaitable<Duration> CommitPage(Page page, std::int64_t epoch);
  [[nodiscard]] boost::asio::awaitable<void> Sleep(Duration wait);
  [[nodiscard]] std::optional<CursorValues> From(const Checkpoint& checkpoint, std::string* error) const;
  void NoteEpoch(const Checkpoint& checkpoint);
  [[nodiscard]] Duration Fail(const std::string& what);
  [[nodiscard]] Duration Succeed(bool again_at_once);
  [[nodiscard]] std::string StallError(const Page& page) const;
  template <class Work>
  [[nodiscard]] auto OnWorker(Work work) -> boost::asio::awaitable<decltype(work())>;

  SourceContext context_;
  PostgresOptions settings_;
  const std::string& name_;                 // settings_.ingest.source
  std::unique_ptr<PostgresPoller> poller_;  // used on worker_ only, but Cancel()
  IngestReport report_;
  std::unique_ptr<Timer> timer_;  // of the context's clock: every wait
  PollSchedule schedule_;
  TieMemory ties_;
  std::int64_t epoch_ = -1;  // of the last checkpoint read; -1 before the first
  bool stopped_ = false;
  std::atomic<std::int64_t> polls_ = 0;
  std::atomic<bool> paused_ = false;
  boost::asio::thread_pool worker_{1};  // last: joined before the poller goes
};

}  // namespace leadsync
