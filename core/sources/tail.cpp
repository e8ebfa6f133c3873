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
constexpr const char* kBacklogKey = "backlog";

}  // namespace

TailSource::TailSource(SourceContext context, config::Source source)
    : context_(std::move(context)),
      source_(std::move(source)),
      tail_(std::get<config::TailSettings>(source_.settings)),
      format_(FormatOf(tail_)),
      watch_(context_.executor) {
  if (format_) {
    follower_ = std::make_unique<TailFollower>(
        TailFollower::Settings{tail_.path, *format_, tail_.start_at, IngestOptionsFor(source_)});
  }
}

TailSource::~TailSource() = default;

std::optional<InputFormat> TailSource::FormatOf(const config::TailSettings& settings) {
  switch (settings.format) {
    case config::Format::kCsv:
      return InputFormat::kCsv;
    case config::Format::kJsonl:
      return InputFormat::kJsonl;
    case config::Format::kJson:
      return std::nullopt;
    case config::Format::kAuto:
      break;
  }
  const std::optional<InputFormat> format = FormatFromPath(settings.path);
  return format == InputFormat::kJson ? std::nullopt : format;
}

asio::awaitable<void> TailSource::Run() {
  if (!follower_) {
    Report(kFileKey, "cannot tell the format of " + tail_.path.string() + ": give format: jsonl or csv");
  }
  while (!stopped_ && !follower_) co_await watch_.Wait(kRetryPeriod);
  while (!stopped_) {
    OpenWatch();
    const std::int64_t max_pending = context_.backpressure.limit();
    auto poll = [&](Queue& queue) { return follower_->Poll(queue, max_pending, context_.clock.Now()); };
    const TailFollower::Outcome outcome = co_await context_.queue.Submit(poll);
    Settle(outcome);
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
  const std::filesystem::path dir = tail_.path.has_parent_path() ? tail_.path.parent_path() : ".";
  if (const std::string error = watch_.Open(dir, kWatchMask); !error.empty()) {
    Report(kWatchKey, error + " (polling every second instead)");
  } else {
    reported_.erase(kWatchKey);
  }
}

void TailSource::Settle(const TailFollower::Outcome& outcome) {
  const SourceEvents& events = context_.events;
  if (outcome.committed) {
    if (events.on_ingested) events.on_ingested(source_.name, outcome.result, outcome.rejections);
    if (events.on_enqueued) events.on_enqueued();
  }
  for (const std::string& notice : outcome.notices) {
    if (events.on_error) events.on_error(source_.name, notice);
  }
  if (outcome.problem.empty()) {
    reported_.erase(kFileKey);
  } else {
    Report(kFileKey, outcome.problem);
  }
  if (outcome.step == TailFollower::Step::kBackpressure) {
    context_.backpressure.Report(outcome.backlog);
    Report(kBacklogKey, "queue backlog at max_pending (" + std::to_string(context_.backpressure.limit()) +
                            "): not reading " + tail_.path.string() + " until it drains");
    return;
  }
  if (outcome.committed) context_.backpressure.Report(outcome.backlog);
  reported_.erase(kBacklogKey);
}

void TailSource::Report(const std::string& key, const std::string& what) {
  if (reported_.insert(key).second && context_.events.on_error) context_.events.on_error(source_.name, what);
}

}  // namespace leadsync
