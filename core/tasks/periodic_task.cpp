#include "core/tasks/periodic_task.hpp"

#include <exception>

namespace leadsync {

PeriodicTask::PeriodicTask(PeriodicTaskOptions options, Clock& clock, TaskEvents events,
                           std::function<boost::asio::awaitable<void>()> body)
    : options_(std::move(options)),
      clock_(clock),
      events_(std::move(events)),
      body_(std::move(body)),
      timer_(clock.MakeTimer()) {}

Duration PeriodicTask::Jittered(Duration period) {
  const auto spread = static_cast<Duration::rep>(static_cast<double>(period.count()) * options_.jitter);
  std::uniform_int_distribution<Duration::rep> jitter(-spread, spread);
  return period + Duration{jitter(random_)};
}

boost::asio::awaitable<void> PeriodicTask::Run() {
  while (!stopped_) {
    std::string failure;
    try {
      co_await body_();
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown exception";
    }
    if (!failure.empty() && events_.on_failure) events_.on_failure(options_.name, failure);
    if (stopped_) break;
    co_await timer_->WaitUntil(clock_.Now() +
                               Jittered(failure.empty() ? options_.period : options_.failure_period));
  }
}

void PeriodicTask::Stop() {
  stopped_ = true;
  timer_->Cancel();
}

}  // namespace leadsync
