#include "core/tasks/supervisor.hpp"

#include <exception>

namespace leadsync {

Supervisor::Supervisor(std::string name, Clock& clock, TaskEvents events, SupervisorOptions options)
    : name_(std::move(name)),
      clock_(clock),
      events_(std::move(events)),
      options_(options),
      timer_(clock.MakeTimer()) {}

void Supervisor::ReportFailure(const std::string& what) {
  if (events_.on_failure) events_.on_failure(name_, what);
}

void Supervisor::SetWorking(bool working) { SetUp(working); }

void Supervisor::SetUp(bool up) {
  if (up_ == up) return;
  up_ = up;
  if (events_.on_state) events_.on_state(name_, up);
}

// True when `run` returned, false when it threw.
boost::asio::awaitable<bool> Supervisor::Attempt(const std::function<boost::asio::awaitable<void>()>& run) {
  std::string failure;
  try {
    co_await run();
    co_return true;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  ReportFailure(failure);
  co_return false;
}

boost::asio::awaitable<void> Supervisor::Run(std::function<boost::asio::awaitable<void>()> run,
                                             std::function<boost::asio::awaitable<void>()> recover,
                                             const bool& stopping) {
  Duration pause = options_.first_pause;
  while (true) {
    SetUp(true);
    const TimePoint started = clock_.Now();
    if (co_await Attempt(run)) co_return;
    SetUp(false);
    if (clock_.Now() - started >= options_.healthy_after) pause = options_.first_pause;
    // What the failed run held must be back before it runs again (a full
    // disk fails both): retry the recovery after each pause.
    while (!co_await Attempt(recover)) {
      if (!co_await Pause(pause, stopping)) co_return;
    }
    if (!co_await Pause(pause, stopping)) co_return;
  }
}

// Waits `pause` and doubles it up to the maximum; false when stopping.
boost::asio::awaitable<bool> Supervisor::Pause(Duration& pause, const bool& stopping) {
  if (stopping) co_return false;
  co_await timer_->WaitUntil(clock_.Now() + pause);
  pause = std::min(pause * 2, options_.max_pause);
  co_return !stopping;
}

}  // namespace leadsync
