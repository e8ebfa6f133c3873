#include "tests/core/dispatch/server_model.hpp"

#include <deque>
#include <random>

namespace leadsync {
namespace {

struct Answer {
  TimePoint at;
  TimePoint sent;
  enum class Kind { kAccepted, kRefused, kFault } kind;
};

class Account {
 public:
  Account(const ServerModel& model, TimePoint origin) : model_(model), origin_(origin) {}

  Answer::Kind Admit(TimePoint arrival) {
    while (!accepted_.empty() && accepted_.front() + model_.per <= arrival) accepted_.pop_front();
    const int used = static_cast<int>(accepted_.size()) + Foreign(arrival);
    if (used >= model_.account_calls || Draw() < model_.random_refusal) return Answer::Kind::kRefused;
    accepted_.push_back(arrival);
    return Draw() < model_.fault ? Answer::Kind::kFault : Answer::Kind::kAccepted;
  }

 private:
  // Foreign calls land every per/N, as the sandbox's do, from a window
  // before ours (the other client was already running): every window holds
  // N of them until foreign_until.
  int Foreign(TimePoint arrival) const {
    if (model_.foreign_calls == 0) return 0;
    const Duration spacing = std::chrono::duration_cast<Duration>(model_.per) / model_.foreign_calls;
    const TimePoint start = origin_ - model_.per;
    const auto index = [&](TimePoint t) {
      const TimePoint end = std::min(t, origin_ + model_.foreign_until);
      return end <= start ? 0 : static_cast<int>((end - start) / spacing);
    };
    return index(arrival) - index(arrival - model_.per);
  }
  double Draw() { return std::uniform_real_distribution<double>(0, 1)(random_); }

  const ServerModel& model_;
  TimePoint origin_;
  std::deque<TimePoint> accepted_;
  std::mt19937 random_{42};
};

}  // namespace

ModelResult RunModel(const ServerModel& model, const RateLimiterOptions& options, std::chrono::seconds run,
                     std::chrono::seconds warmup) {
  ManualTimeSource clock;
  const TimePoint origin = clock.Now();
  RateLimiter limiter(options);
  Account account(model, origin);
  std::deque<Answer> answers;  // in arrival order: latency is constant
  ModelResult result;
  const std::optional<StatedLimit> stated =
      model.states_limit ? std::optional(StatedLimit{model.account_calls, model.per}) : std::nullopt;
  while (clock.Now() - origin < run) {
    const bool can_start = static_cast<int>(answers.size()) < model.max_in_flight;
    const TimePoint start = can_start ? limiter.NextStart(clock.Now()) : TimePoint::max();
    if (!answers.empty() && answers.front().at <= start) {
      const Answer answer = answers.front();
      answers.pop_front();
      clock.Set(answer.at);
      if (answer.kind == Answer::Kind::kRefused) {
        (void)limiter.OnRefused(answer.sent, answer.at, stated, std::nullopt);
      } else {
        limiter.OnAccepted(answer.at);
      }
      result.min_effective = std::min(result.min_effective, limiter.EffectiveLimit());
      continue;
    }
    clock.Set(start);
    limiter.RecordStart(start);
    const TimePoint arrival = start + model.latency / 2;
    const Answer::Kind kind = account.Admit(arrival);
    answers.push_back({start + model.latency, start, kind});
    if (kind == Answer::Kind::kRefused) ++result.refused;
    if (kind == Answer::Kind::kAccepted && arrival - origin >= warmup) ++result.accepted;
  }
  result.measured = run - warmup;
  return result;
}

}  // namespace leadsync
