#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>

#include "core/dispatch/call_activity.hpp"
#include "core/tasks/periodic_task.hpp"

namespace leadsync::daemon {

// The summary line at info, once a minute: what the dispatcher's calls came
// to since the last one and the backlog now (DescribeActivity, with the
// same numbers as JSON fields). A minute without calls or dead letters
// while nothing is pending writes nothing: an idle daemon stays quiet, and
// a stuck backlog still shows. Per-batch lines are at debug.
//
// `take` hands over the counts since it was last called (the dispatcher's
// TakeActivity); `backlog` reads the queue. Runs on the clock's executor;
// loop thread only.
class ActivityReport final {
 public:
  static constexpr Duration kPeriod = std::chrono::minutes(1);

  using TakeActivity = std::function<CallActivity()>;
  using ReadBacklog = std::function<boost::asio::awaitable<BacklogNow>()>;

  ActivityReport(Clock& clock, TaskEvents events, TakeActivity take, ReadBacklog backlog);

  // Until Stop(); the first summary comes one period after the start.
  [[nodiscard]] boost::asio::awaitable<void> Run() { return task_.Run(); }
  void Stop() { task_.Stop(); }

 private:
  [[nodiscard]] boost::asio::awaitable<void> Report();

  Clock& clock_;
  TakeActivity take_;
  ReadBacklog backlog_;
  std::optional<TimePoint> since_;  // the start of the span the next summary covers
  PeriodicTask task_;
};

}  // namespace leadsync::daemon
