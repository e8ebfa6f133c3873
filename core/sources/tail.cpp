#include "core/sources/tail.hpp"

#include <sys/inotify.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "core/queue/queue_service.hpp"

namespace leadsync {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// Any change in the directory: appends (IN_MODIFY), new and renamed files,
// deletions, truncation (IN_MODIFY), attribute changes.
constexpr std::uint32_t kWatchMask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
                                     IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

// Keys of problems reported once while they last.
constexpr const char* kWatchKey = "watch";
constexpr const char* kFileKey = "file";

}  // namespace

TailSource::TailSource(SourceContext context, TailOptions options)
    : context_(std::move(context)),
      options_(std::move(options)),
      format_(FormatOf(options_)),
      watch_(context_.executor, context_.clock),
      report_(context_, options_.ingest.source) {
  if (format_) {
    follower_ = std::make_unique<TailFollower>(
        TailFollower::Settings{options_.path, *format_, options_.start_at, options_.ingest});
  }
}

TailSource::~TailSource() = default;

std::optional<InputFormat> TailSource::FormatOf(const TailOptions& options) {
  const std::optional<InputFormat> format = options.format ? options.format : FormatFromPath(options.path);
  return format == InputFormat::kJson ? std::nullopt : format;
}

asio::awaitable<void> TailSource::Run() {
  if (!follower_) {
    report_.Error(kFileKey,
                  "cannot tell the format of " + options_.path.string() + ": give format: jsonl or csv");
  }
  while (!stopped_ && !follower_) co_await watch_.Wait(kRetryPeriod);
  while (!stopped_) {
    OpenWatch();
    const std::int64_t max_pending = context_.backpressure.limit();
    const TimePoint now = context_.clock.Now();
    auto poll = [&](Queue& queue) { return follower_->Poll(queue, max_pending, now); };
    const TailFollower::Outcome outcome = co_await context_.queue.Submit(poll);
    ReportOutcome(outcome);
    if (stopped_ || outcome.step == TailFollower::Step::kMore ||
        outcome.step == TailFollower::Step::kConflict) {
      continue;
    }
    if (outcome.step == TailFollower::Step::kBackpressure) {
      co_await (context_.backpressure.WaitForRoom() || watch_.Wait(kPollPeriod));
    } else {
      co_await watch_.Wait(kPollPeriod);
    }
  }
  watch_.Close();
}

void TailSource::Stop() {
  asio::dispatch(context_.executor, [this] {
    stopped_ = true;
    watch_.Cancel();
  });
}

void TailSource::OpenWatch() {
  if (watch_.is_open()) return;
  const std::filesystem::path dir = options_.path.has_parent_path() ? options_.path.parent_path() : ".";
  if (const std::optional<std::string> error = watch_.Open(dir, kWatchMask)) {
    report_.Error(kWatchKey, *error + " (polling every second instead)");
  } else {
    report_.Clear(kWatchKey);
  }
}

void TailSource::ReportOutcome(const TailFollower::Outcome& outcome) {
  if (outcome.committed) report_.Committed(outcome.commit);
  for (const std::string& notice : outcome.notices) report_.Notice(notice);
  if (outcome.problem.empty()) {
    report_.Clear(kFileKey);
  } else {
    report_.Error(kFileKey, outcome.problem);
  }
  if (outcome.step == TailFollower::Step::kBackpressure) {
    report_.Full(outcome.commit.backlog, "queue backlog at max_pending (" +
                                             std::to_string(context_.backpressure.limit()) +
                                             "): not reading " + options_.path.string() + " until it drains");
  }
}

}  // namespace leadsync
