#include "core/dispatch/rate_limiter.hpp"

#include <algorithm>
#include <utility>

namespace leadsync {
namespace {

// Congestion: this many refusals in one window, and this share of its answers.
constexpr int kCongestedRefusals = 4;
constexpr double kCongestedShare = 0.25;

int CountAfter(const std::deque<TimePoint>& times, TimePoint after) {
  return static_cast<int>(std::count_if(times.begin(), times.end(), [&](TimePoint t) { return t > after; }));
}

}  // namespace

RateLimiter::RateLimiter(RateLimiterOptions options)
    : options_(options), level_(std::max(1, options.requests)), probe_wait_(options.min_probe_wait) {}

Duration RateLimiter::Window() const {
  return std::max(options_.per, stated_ ? stated_->per : Duration{0}) + options_.margin;
}

Duration RateLimiter::LevelWindow() const { return stated_ ? stated_->per : options_.per; }

int RateLimiter::Ceiling() const {
  if (!stated_) return std::max(1, options_.requests);
  return stated_->per == options_.per ? std::min(stated_->calls, options_.requests) : stated_->calls;
}

TimePoint RateLimiter::NextStart(TimePoint now) const {
  TimePoint next = std::max(now, blocked_until_);
  next = std::max(next, starts_.Earliest(options_.requests, options_.per + options_.margin, now));
  if (stated_) next = std::max(next, starts_.Earliest(stated_->calls, stated_->per + options_.margin, now));
  next = std::max(next, starts_.Earliest(level_, LevelWindow() + options_.margin, now));
  // Evenly spaced starts: a burst of calls at the top of each window meets
  // another client's calls all at once and is refused by the handful.
  const double tokens = Tokens(now);
  if (tokens < 1) next = std::max(next, now + std::chrono::duration_cast<Duration>(Spacing() * (1 - tokens)));
  return next;
}

std::chrono::duration<double, std::milli> RateLimiter::Spacing() const {
  return std::chrono::duration<double, std::milli>(LevelWindow() + options_.margin) / level_;
}

// A bucket that fills one start per Spacing(), holding up to kPacingBurst:
// a start that left late (queue work before it) lets the next one catch up,
// so pacing costs no throughput, yet two calls never leave back to back.
double RateLimiter::Tokens(TimePoint now) const {
  constexpr double kPacingBurst = 1.1;
  return std::min(kPacingBurst, tokens_ + (now - tokens_at_) / Spacing());
}

void RateLimiter::RecordStart(TimePoint at) {
  tokens_ = Tokens(at) - 1;
  tokens_at_ = at;
  starts_.Add(at);
}

void RateLimiter::Restamp(TimePoint recorded, TimePoint sent) { starts_.Move(recorded, sent); }

void RateLimiter::Restore(std::span<const TimePoint> starts) {
  for (TimePoint t : starts) starts_.Add(t);
}

void RateLimiter::Forget(TimePoint now) {
  const TimePoint before = now - Window();
  starts_.Forget(before);
  while (!accepted_.empty() && accepted_.front() < before) accepted_.pop_front();
  while (!refused_.empty() && refused_.front() < before) refused_.pop_front();
}

bool RateLimiter::Congested(TimePoint now) const {
  const TimePoint since = now - LevelWindow();
  const int refused = CountAfter(refused_, since);
  const int answered = refused + CountAfter(accepted_, since);
  return refused >= kCongestedRefusals && refused >= kCongestedShare * answered;
}

void RateLimiter::SetLevel(int level, TimePoint now) {
  level_ = std::clamp(level, 1, Ceiling());
  level_since_ = now;
}

void RateLimiter::Cut(TimePoint now) {
  const int accepted = CountAfter(accepted_, now - LevelWindow());
  SetLevel(std::min(level_ - 1, accepted), now);
  probe_from_.reset();
  trial_from_.reset();
  noisy_until_ = TimePoint{};
  step_ = 1;
}

void RateLimiter::MaybeProbe(TimePoint now) {
  if (probe_from_ || trial_from_ || level_ >= Ceiling()) return;
  const bool noisy = now < noisy_until_;
  const TimePoint quiet_since = noisy ? level_since_ : std::max(level_since_, last_refusal_);
  if (now - quiet_since < probe_wait_) return;
  probe_from_ = level_;
  SetLevel(level_ + step_, now);
}

void RateLimiter::OnAccepted(TimePoint now) {
  accepted_.push_back(now);
  Forget(now);
  const bool noisy = now < noisy_until_;
  if (probe_from_ && now - level_since_ >= LevelWindow() && (noisy || last_refusal_ < level_since_)) {
    // The probe held for a window: the next one may go further, sooner.
    probe_from_.reset();
    step_ *= 2;
    probe_wait_ = std::max(options_.min_probe_wait, probe_wait_ / 2);
  }
  if (trial_from_ && now - level_since_ >= 2 * LevelWindow() && last_refusal_ <= level_since_) {
    // Stepping down stopped the refusals: another client holds the rest.
    trial_from_.reset();
    probe_wait_ = std::min(options_.max_probe_wait, probe_wait_ * 2);
    step_ = 1;
  }
  MaybeProbe(now);
}

RefusalEffect RateLimiter::OnRefused(TimePoint sent, TimePoint now, const std::optional<StatedLimit>& stated,
                                     std::optional<Duration> retry_after) {
  RefusalEffect effect;
  Forget(now);
  if (retry_after) blocked_until_ = std::max(blocked_until_, now + *retry_after);
  if (stated && stated->calls > 0 && stated->per.count() > 0 && stated != stated_) {
    stated_ = stated;
    effect.learned_limit = true;
    if (level_ > Ceiling()) {
      SetLevel(Ceiling(), now);
      probe_from_.reset();
      trial_from_.reset();
      effect.lowered = true;
      return effect;
    }
  }
  // A call that left before the level last changed says nothing about it.
  if (sent < level_since_) return effect;
  const TimePoint previous = std::exchange(last_refusal_, now);
  refused_.push_back(now);
  const bool noisy = now < noisy_until_;
  if (Congested(now) && now - level_since_ >= LevelWindow()) {
    Cut(now);
    effect.lowered = true;
  } else if (trial_from_) {
    // Refused one step lower as well: the refusals come whatever our rate.
    SetLevel(*trial_from_, now);
    trial_from_.reset();
    noisy_until_ = now + options_.noise_memory;
  } else if (probe_from_ && !noisy) {
    SetLevel(*probe_from_, now);
    probe_from_.reset();
    probe_wait_ = std::min(options_.max_probe_wait, probe_wait_ * 2);
    step_ = 1;
    effect.lowered = true;
  } else if (!noisy && level_ > 1 && previous > TimePoint{} && now - previous < 2 * LevelWindow()) {
    // Refusals keep coming at this level: try what the server accepted.
    trial_from_ = level_;
    SetLevel(std::min(level_ - 1, CountAfter(accepted_, now - LevelWindow())), now);
    effect.lowered = true;
  }
  return effect;
}

void RateLimiter::Reconfigure(RateLimiterOptions options) {
  options_ = options;
  level_ = Ceiling();
  probe_from_.reset();
  trial_from_.reset();
  probe_wait_ = options_.min_probe_wait;
  step_ = 1;
}

int RateLimiter::EffectiveLimit() const {
  if (!stated_ || stated_->per == options_.per) return std::min(level_, options_.requests);
  const auto scaled =
      static_cast<int>(static_cast<long long>(level_) * options_.per.count() / stated_->per.count());
  return std::clamp(scaled, 1, options_.requests);
}

}  // namespace leadsync
