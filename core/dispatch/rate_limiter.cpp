#include "core/dispatch/rate_limiter.hpp"

#include <algorithm>
#include <utility>

namespace leadsync {
namespace {

// Congestion (client-side adaptive throttling): at least this many refusals,
// and accepts below 1/K of the answers, i.e. refusals above 1 - 1/K = 25 %.
// Faults count as answers, not refusals: 5 % random refusals among 30 %
// faults never come near it, another client holding 40 % of the account does.
constexpr int kCongestedRefusals = 4;
constexpr double kThrottleK = 4.0 / 3;
// The congestion rule looks back at most this many level windows.
constexpr int kTrailingWindows = 4;
// A refusal that states a window we count as not full: another client uses
// it too, and when its starts leave is unknown. Try again after this part
// of the window (an hour for a daily cap), at least one level window.
constexpr int kForeignFullRetries = 24;

int CountAfter(const std::deque<TimePoint>& times, TimePoint after) {
  return static_cast<int>(times.end() - std::upper_bound(times.begin(), times.end(), after));
}

}  // namespace

RateLimiterOptions RateLimiterOptionsFor(std::vector<RateWindow> windows) {
  RateLimiterOptions o;
  o.windows = std::move(windows);
  o.margin = Duration{50};
  return o;
}

int RateLimiter::Limit::Calls() const {
  if (configured && stated) return std::min(*configured, *stated);
  return configured ? *configured : stated.value_or(1);
}

RateLimiter::RateLimiter(RateLimiterOptions options) : level_(1), probe_wait_(options.min_probe_wait) {
  Reconfigure(std::move(options));
}

RateLimiter::Limit& RateLimiter::LimitFor(Duration per) {
  auto it = std::lower_bound(limits_.begin(), limits_.end(), per,
                             [](const Limit& l, Duration p) { return l.per < p; });
  if (it == limits_.end() || it->per != per) it = limits_.insert(it, Limit{per, std::nullopt, std::nullopt});
  return *it;
}

Duration RateLimiter::Window() const { return limits_.back().per + options_.margin; }

int RateLimiter::Ceiling() const { return std::max(1, limits_.front().Calls()); }

TimePoint RateLimiter::NextStart(TimePoint now) const {
  TimePoint next = std::max(now, blocked_until_);
  for (const Limit& l : limits_)
    next = std::max(next, starts_.Earliest(l.Calls(), l.per + options_.margin, now));
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

std::vector<LearnedLimit> RateLimiter::RestoreLearned(std::span<const LearnedLimit> learned) {
  for (const LearnedLimit& l : learned) {
    const auto configured = std::find_if(options_.windows.begin(), options_.windows.end(),
                                         [&](const RateWindow& w) { return w.per == l.per; });
    const std::optional<int> now_configured =
        configured == options_.windows.end() ? std::nullopt : std::optional(configured->requests);
    if (now_configured == l.configured && l.calls > 0 && l.per.count() > 0) LimitFor(l.per).stated = l.calls;
  }
  ResetLevel();
  return Learned();
}

void RateLimiter::Forget(TimePoint now) {
  starts_.Forget(now - Window());
  const TimePoint before = now - kTrailingWindows * (LevelWindow() + options_.margin);
  while (!accepted_.empty() && accepted_.front() < before) accepted_.pop_front();
  while (!refused_.empty() && refused_.front() < before) refused_.pop_front();
}

// Only answers since the level last changed speak about it: after a cut the
// refusals that caused it no longer count.
bool RateLimiter::Congested(TimePoint now) const {
  const TimePoint since = std::max(now - kTrailingWindows * LevelWindow(), level_since_);
  const int refused = CountAfter(refused_, since);
  const int answered = refused + CountAfter(accepted_, since);
  return refused >= kCongestedRefusals && refused * kThrottleK > answered * (kThrottleK - 1);
}

void RateLimiter::SetLevel(int level, TimePoint now) {
  level_ = std::clamp(level, 1, Ceiling());
  level_since_ = now;
}

void RateLimiter::ResetLevel() {
  level_ = Ceiling();
  probe_from_.reset();
  trial_from_.reset();
  probe_wait_ = options_.min_probe_wait;
  step_ = 1;
}

void RateLimiter::Cut(TimePoint now) {
  const int answered = CountAfter(accepted_, now - LevelWindow());
  SetLevel(std::min(level_ - 1, answered), now);
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

bool RateLimiter::Learn(const StatedLimit& stated) {
  Limit& limit = LimitFor(stated.per);
  if (limit.stated == stated.calls) return false;
  limit.stated = stated.calls;
  return true;
}

RefusalEffect RateLimiter::OnRefused(TimePoint sent, TimePoint now, const std::optional<StatedLimit>& stated,
                                     std::optional<Duration> retry_after) {
  RefusalEffect effect;
  Forget(now);
  if (retry_after) blocked_until_ = std::max(blocked_until_, now + *retry_after);
  if (stated && stated->calls > 0 && stated->per.count() > 0) {
    const Duration level_window = LevelWindow();
    effect.learned_limit = Learn(*stated);
    if (LevelWindow() != level_window || level_ > Ceiling()) {
      ResetLevel();
      level_since_ = now;
      effect.lowered = true;
      return effect;
    }
    // A longer window's refusal is about that window, not the level.
    if (stated->per != LevelWindow()) {
      if (starts_.CountIn(stated->per + options_.margin, now) < stated->calls)
        blocked_until_ =
            std::max(blocked_until_, now + std::max(LevelWindow(), stated->per / kForeignFullRetries));
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
    // Refusals keep coming at this level: try what the server did not
    // refuse in the last window, once a full window of answers says it
    // (early on, a window holds few answers: one step lower then).
    const int not_refused = CountAfter(accepted_, now - LevelWindow());
    const bool full_window = not_refused + CountAfter(refused_, now - LevelWindow()) >= level_;
    trial_from_ = level_;
    SetLevel(full_window ? std::min(level_ - 1, not_refused) : level_ - 1, now);
    effect.lowered = true;
  }
  return effect;
}

void RateLimiter::Reconfigure(RateLimiterOptions options) {
  const std::vector<Limit> before = std::exchange(limits_, {});
  options_ = std::move(options);
  for (const RateWindow& w : options_.windows) {
    Limit& limit = LimitFor(w.per);
    limit.configured = std::min(w.requests, limit.configured.value_or(w.requests));
  }
  // A learned limit stays unless its window's configured value changed.
  for (const Limit& old : before) {
    if (!old.stated) continue;
    const auto current =
        std::find_if(limits_.begin(), limits_.end(), [&](const Limit& l) { return l.per == old.per; });
    const std::optional<int> configured = current == limits_.end() ? std::nullopt : current->configured;
    if (configured == old.configured) LimitFor(old.per).stated = old.stated;
  }
  if (limits_.empty()) limits_.push_back(Limit{RateWindow{}.per, RateWindow{}.requests, std::nullopt});
  ResetLevel();
}

int RateLimiter::EffectiveLimit() const {
  const auto shortest =
      std::find_if(limits_.begin(), limits_.end(), [](const Limit& l) { return l.configured.has_value(); });
  if (shortest == limits_.end()) return level_;
  const int requests = *shortest->configured;
  if (shortest->per == LevelWindow()) return std::min(level_, requests);
  const auto scaled =
      static_cast<int>(static_cast<long long>(level_) * shortest->per.count() / LevelWindow().count());
  return std::clamp(scaled, 1, requests);
}

std::vector<LearnedLimit> RateLimiter::Learned() const {
  std::vector<LearnedLimit> out;
  for (const Limit& l : limits_) {
    if (l.stated) out.push_back({l.per, *l.stated, l.configured});
  }
  return out;
}

std::vector<WindowUse> RateLimiter::Use(TimePoint now) const {
  std::vector<WindowUse> out;
  for (const Limit& l : limits_) {
    const Duration span = l.per + options_.margin;
    out.push_back({l.per, starts_.CountIn(span, now), l.Calls(), starts_.Earliest(l.Calls(), span, now)});
  }
  return out;
}

std::optional<WindowUse> RateLimiter::Holding(TimePoint now) const {
  std::optional<WindowUse> holding;
  for (const WindowUse& use : Use(now)) {
    if (use.next_free > now && (!holding || use.next_free > holding->next_free)) holding = use;
  }
  return holding;
}

}  // namespace leadsync
