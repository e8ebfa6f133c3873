#include "daemon/activity_report.hpp"

#include <spdlog/spdlog.h>

#include "core/log_fields.hpp"

namespace leadsync::daemon {

ActivityReport::ActivityReport(Clock& clock, TaskEvents events, TakeActivity take, ReadBacklog backlog)
    : clock_(clock),
      take_(std::move(take)),
      backlog_(std::move(backlog)),
      // No jitter: "last 60s" should mean sixty seconds.
      task_(PeriodicTaskOptions{"activity", kPeriod, kPeriod, 0.0}, clock, std::move(events),
            [this] { return Report(); }) {}

boost::asio::awaitable<void> ActivityReport::Report() {
  const TimePoint now = clock_.Now();
  const CallActivity activity = take_();
  // The task's first run is at its start: it opens the first span.
  if (!since_) {
    since_ = now;
    co_return;
  }
  const Duration window = std::chrono::duration_cast<Duration>(now - *since_);
  since_ = now;
  const BacklogNow backlog = co_await backlog_();
  if (activity.Idle() && backlog.pending == 0) co_return;
  LogWithFields(spdlog::level::info, ActivityFields(activity, backlog, window),
                DescribeActivity(activity, backlog, window));
}

}  // namespace leadsync::daemon
