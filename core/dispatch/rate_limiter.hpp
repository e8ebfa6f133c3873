#pragma once

#include <deque>
#include <optional>
#include <span>

#include "core/clock.hpp"
#include "core/dispatch/call_window.hpp"
#include "core/http/refusal.hpp"

namespace leadsync {

struct RateLimiterOptions {
  int requests = 25;                // the configured ceiling per window
  Duration per{5000};               // window length
  Duration margin{50};              // added to every window: the server counts on arrival
  Duration min_probe_wait{10'000};  // quiet time before probing one step higher
  Duration max_probe_wait{60'000};  // after failed probes, at most this long
  Duration noise_memory{120'000};   // how long evidence of random refusals counts
};

// What a refusal changed, for the caller to log and export.
struct RefusalEffect {
  bool learned_limit = false;  // the refusal stated a limit below what was known
  bool lowered = false;        // the rate was cut
};

// When calls may start, and at what rate, against an account whose limit is
// shared with other clients and may be lower than configured.
//
// Never more starts than the limit in any window of the limit's length plus
// `margin`: the configured `requests` per `per`, the limit a refusal stated
// ("N in S second(s)") once one has, and the current level (<= both).
//
// Starts are spaced evenly across the window (window / level apart), never
// in bursts. The level follows one rule (README, "Rate adaptation", has the
// reasoning):
//  - a stated limit below the level lowers it at once and for good;
//  - congestion, i.e. at least 4 refusals and a quarter of the answers in
//    one window, cuts the level to the calls the server accepted in it;
//  - after a quiet `probe wait` the level probes upwards, one step that
//    doubles after each step that held, to the ceiling (about a minute from
//    a cut back to the top);
//  - a refusal right after a probe undoes it and doubles the probe wait;
//  - refusals that keep coming (two within two windows) at a level try one
//    step lower: if that stops them, another client holds the rest and the
//    step stays; if they come anyway they are noise (a server hiccup,
//    another client's burst), the level goes back, and for `noise_memory`
//    random refusals are retried, not obeyed.
// Retry-After blocks every start until it has passed.
//
// Pure logic: callers pass the time. Not thread-safe.
class RateLimiter final {
 public:
  explicit RateLimiter(RateLimiterOptions options);

  // Earliest time a call may start (>= now).
  [[nodiscard]] TimePoint NextStart(TimePoint now) const;
  void RecordStart(TimePoint at);
  // Moves a recorded start to when the call really left.
  void Restamp(TimePoint recorded, TimePoint sent);
  // Seeds the window with starts a previous process made.
  void Restore(std::span<const TimePoint> starts);

  // A call was accepted; `now` is when its answer came.
  void OnAccepted(TimePoint now);
  // A call sent at `sent` was refused; `now` is when the refusal came.
  RefusalEffect OnRefused(TimePoint sent, TimePoint now, const std::optional<StatedLimit>& stated,
                          std::optional<Duration> retry_after);

  // A new ceiling (config reload); keeps the window and a stated limit.
  void Reconfigure(RateLimiterOptions options);

  // Calls per `per` after adaptation: leadsync_rate_limit_effective.
  [[nodiscard]] int EffectiveLimit() const;
  [[nodiscard]] const std::optional<StatedLimit>& stated() const { return stated_; }
  // The longest window any limit uses; starts older than this are forgotten.
  [[nodiscard]] Duration Window() const;

 private:
  [[nodiscard]] Duration LevelWindow() const;  // the window the level counts in
  [[nodiscard]] int Ceiling() const;           // the level's top, in LevelWindow()
  [[nodiscard]] bool Congested(TimePoint now) const;
  [[nodiscard]] std::chrono::duration<double, std::milli> Spacing() const;
  [[nodiscard]] double Tokens(TimePoint now) const;
  void Forget(TimePoint now);
  void Cut(TimePoint now);
  void MaybeProbe(TimePoint now);
  void SetLevel(int level, TimePoint now);

  RateLimiterOptions options_;
  CallWindow starts_;
  std::deque<TimePoint> accepted_;  // answer times of accepted calls
  std::deque<TimePoint> refused_;   // answer times of refusals
  std::optional<StatedLimit> stated_;
  int level_;
  TimePoint blocked_until_{};
  double tokens_ = 1;  // pacing: starts available now (see Tokens())
  TimePoint tokens_at_{};
  TimePoint level_since_{};  // last change of the level
  TimePoint last_refusal_{};
  Duration probe_wait_;
  int step_ = 1;
  std::optional<int> probe_from_;  // the level before the last probe, while it is on trial
  std::optional<int> trial_from_;  // the level before a step down, while it is on trial
  TimePoint noisy_until_{};
};

}  // namespace leadsync
