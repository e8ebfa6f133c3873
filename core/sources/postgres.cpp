#include "core/sources/postgres.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "core/queue/queue_service.hpp"

namespace leadsync {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

std::string Seconds(Duration wait) {
  return fmt::format("{:.1f} s", static_cast<double>(wait.count()) / 1000);
}

}  // namespace

struct PostgresSource::Start {
  Checkpoint checkpoint;
  std::int64_t backlog = 0;
};

PostgresSource::PostgresSource(SourceContext context, PostgresOptions options)
    : context_(std::move(context)),
      settings_(std::move(options)),
      name_(settings_.ingest.source),
      poller_(std::make_unique<PostgresPoller>(settings_)),
      report_(context_, name_),
      timer_(context_.clock.MakeTimer()),
      schedule_(settings_.interval) {}

PostgresSource::~PostgresSource() { worker_.join(); }

asio::awaitable<void> PostgresSource::Run() {
  while (!stopped_) {
    const Duration wait = co_await PollOnce();
    if (wait.count() > 0) co_await Sleep(wait);
  }
  auto disconnect = [this] { poller_->Disconnect(); };
  co_await OnWorker(disconnect);
}

void PostgresSource::Stop() {
  // Posted before the cancel, so that a cancelled query returns to a source
  // that knows it is stopping and does not report the cancellation.
  asio::dispatch(context_.executor, [this] {
    stopped_ = true;
    timer_->Cancel();
  });
  poller_->Cancel();
}

asio::awaitable<Duration> PostgresSource::PollOnce() {
  auto read = [this](Queue& queue) { return Start{queue.ReadCheckpoint(name_), queue.Backlog()}; };
  const Start start = co_await context_.queue.Submit(read);
  context_.backpressure.SetBacklog(start.backlog);
  if (context_.backpressure.Full()) co_return co_await WaitForRoom(start.backlog);
  paused_ = false;
  report_.Room();
  NoteEpoch(start.checkpoint);
  std::string error;
  const std::optional<CursorValues> from = From(start.checkpoint, &error);
  if (!from) co_return Fail(error);
  auto poll = [this, &from] { return poller_->Poll(*from); };
  PostgresPoller::Outcome outcome = co_await OnWorker(poll);
  if (stopped_) co_return Duration::zero();
  ++polls_;
  if (outcome.connected) spdlog::info("source {}: connected to PostgreSQL", name_);
  if (!outcome.error.empty()) co_return Fail(outcome.error);
  co_return co_await CommitPage(std::move(outcome.page), start.checkpoint.epoch);
}

// Waits for the backlog to drop below max_pending, or for `interval` (the
// poll after it reads the backlog again), or for Stop().
asio::awaitable<Duration> PostgresSource::WaitForRoom(std::int64_t backlog) {
  paused_ = true;
  report_.Full(backlog, "queue backlog at max_pending (" + std::to_string(context_.backpressure.limit()) +
                            "); polling paused until it drains");
  co_await (context_.backpressure.WaitForRoom() ||
            timer_->WaitUntil(context_.clock.Now() + settings_.interval));
  co_return Duration::zero();
}

asio::awaitable<Duration> PostgresSource::CommitPage(Page page, std::int64_t epoch) {
  const bool stalled = page.full && page.one_value;
  std::vector<PageRow> fresh;
  for (PageRow& row : page.rows) {
    if (!ties_.Known(row)) fresh.push_back(std::move(row));
  }
  if (fresh.empty()) co_return stalled ? Fail(StallError(page)) : Succeed(false);
  IngestBatch batch;
  for (PageRow& row : fresh) {
    if (row.lead) batch.leads.push_back(std::move(*row.lead));
    if (row.rejection) batch.rejections.push_back(std::move(*row.rejection));
  }
  const CheckpointUpdate update{name_, fresh.back().position, epoch};
  const TimePoint now = context_.clock.Now();
  auto enqueue = [&](Queue& queue) { return CommitBatch(queue, std::move(batch), update, now); };
  const CommitOutcome committed = co_await context_.queue.Submit(enqueue);
  if (committed.state == CommitOutcome::State::kConflict) {
    spdlog::info("source {}: checkpoint moved (source reset) while a page was read; page discarded", name_);
    ties_.Forget();
    co_return Duration::zero();
  }
  ties_.Remember(update.value, fresh);
  report_.Committed(committed);
  // Committed all the same: those rows are new, and the error says what to fix.
  if (stalled) co_return Fail(StallError(page));
  co_return Succeed(page.full);
}

asio::awaitable<void> PostgresSource::Sleep(Duration wait) {
  if (stopped_) co_return;
  co_await timer_->WaitUntil(context_.clock.Now() + wait);
}

std::optional<CursorValues> PostgresSource::From(const Checkpoint& checkpoint, std::string* error) const {
  const std::string& text = checkpoint.value ? *checkpoint.value : settings_.cursor_start;
  std::optional<CursorValues> from = DecodeCursor(text, settings_.cursor.size(), error);
  if (!from && error) *error = (checkpoint.value ? "checkpoint: " : "cursor_start: ") + *error;
  return from;
}

void PostgresSource::NoteEpoch(const Checkpoint& checkpoint) {
  if (checkpoint.epoch == epoch_) return;
  if (epoch_ >= 0) {
    spdlog::info("source {}: checkpoint moved by `leadsync source reset`; reading from {}", name_,
                 checkpoint.value ? *checkpoint.value : "cursor_start (" + settings_.cursor_start + ")");
  }
  epoch_ = checkpoint.epoch;
  ties_.Forget();
}

Duration PostgresSource::Fail(const std::string& what) {
  const Duration wait = schedule_.AfterFailure();
  report_.Failed(what + "; retrying in " + Seconds(wait));
  report_.SetWorking(false);
  return wait;
}

Duration PostgresSource::Succeed(bool again_at_once) {
  if (schedule_.failures() > 0) {
    spdlog::info("source {}: polling again after {} failed attempts", name_, schedule_.failures());
  }
  report_.SetWorking(true);
  const Duration wait = schedule_.AfterSuccess();
  return again_at_once ? Duration::zero() : wait;
}

std::string PostgresSource::StallError(const Page& page) const {
  return fmt::format(
      "a full page of {} rows{} all share one cursor value ({}): the cursor cannot move past it and the "
      "rows after it are never read. Use a composite cursor without ties, e.g. cursor: [updated_at, id] "
      "with WHERE (updated_at, id) > ($1, $2) ORDER BY updated_at, id, or raise {}",
      page.returned, page.cut ? " (max_page_bytes reached)" : "", page.first_position,
      page.cut ? "max_page_bytes" : "the query's LIMIT");
}

template <class Work>
auto PostgresSource::OnWorker(Work work) -> asio::awaitable<decltype(work())> {
  using Result = decltype(work());
  co_return co_await asio::co_spawn(
      worker_, [&work]() -> asio::awaitable<Result> { co_return work(); }, asio::use_awaitable);
}

}  // namespace leadsync
