#pragma once

#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "core/clock.hpp"
#include "core/dispatch/call_window.hpp"
#include "core/dispatch/rate_window.hpp"
#include "core/http/refusal.hpp"

namespace leadsync {

struct RateLimiterOptions {
  std::vector<RateWindow> windows =
      std::vector<RateWindow>(1);   // the configured ceilings, at most one per length
  Duration margin{50};              // added to every window: the server counts on arrival
  Duration min_probe_wait{10'000};  // quiet time before probing one step higher
  Duration max_probe_wait{60'000};  // after failed probes, at most this long
  Duration noise_memory{120'000};   // how long evidence of random refusals counts
};

// The options for `windows` with the margin the daemon uses: the server
// counts calls on arrival, which a loaded host delays by tens of
// milliseconds after a start is stamped, so 50 ms whatever the window (1 %
// of 5 s; the 10 ms once used for a 1 s window let 6 calls in where 5 were
// allowed).
[[nodiscard]] RateLimiterOptions RateLimiterOptionsFor(std::vector<RateWindow> windows);

// What a refusal changed, for the caller to log, persist and export.
struct RefusalEffect {
  bool learned_limit = false;  // the refusal stated a limit not known before
  bool lowered = false;        // the rate was cut
};

// When calls may start, and at what rate, against an account whose limits
// (several windows at once: "5 in 5 s" and "10000 in 86400 s") are shared
// with other clients and may be lower than configured.
//
// Never more starts than a window's limit in any span of its length plus
// `margin`, for every window: each configured one, each a refusal stated
// ("N in S second(s)" sets the limit of the window of length S, adding the
// window when it is new, never touching another), and the current level
// (<= both) in the shortest window. A long window that is full is a wait
// like any other: NextStart() is when its oldest start leaves.
//
// Starts are spaced evenly across the shortest window (window / level
// apart), never in bursts. The level follows one rule (docs/api-behaviour.md,
// "Rate adaptation", has the reasoning); only refusals move it: a fault (5xx,
// reset, timeout) is an answer that is not a refusal.
//  - a stated limit below the level lowers it at once and for good;
//  - congestion, i.e. at least 4 refusals and refusals above 1 - 1/K of the
//    answers since the level last changed (client-side adaptive throttling,
//    Google SRE book ch. 21, with K = 4/3, over at most four windows),
//    cuts the level to the calls the server did not refuse in the last
//    window;
//  - after a quiet `probe wait` the level probes upwards, one step that
//    doubles after each step that held, to the ceiling;
//  - a refusal right after a probe undoes it and doubles the probe wait;
//  - refusals that keep coming (two within two windows) at a level try
//    what the server did not refuse in the last window (one step lower
//    while that window holds fewer answers than the level): if that stops them, another client holds the rest
//    and the step stays; if they come anyway they are noise, the level goes back, and for `noise_memory`
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
  // Seeds the windows with starts a previous process made.
  void Restore(std::span<const TimePoint> starts);
  // Seeds the limits a previous process learned; one whose window's
  // configured value has changed since is dropped. Returns what is kept.
  std::vector<LearnedLimit> RestoreLearned(std::span<const LearnedLimit> learned);

  // A call was answered without a refusal (accepted, or a fault that says
  // nothing about the limit); `now` is when its answer came.
  void OnAccepted(TimePoint now);
  // A call sent at `sent` was refused; `now` is when the refusal came.
  RefusalEffect OnRefused(TimePoint sent, TimePoint now, const std::optional<StatedLimit>& stated,
                          std::optional<Duration> retry_after);

  // New ceilings (config reload); keeps the starts, and the limits learned
  // for every window whose configured value did not change.
  void Reconfigure(RateLimiterOptions options);

  // Calls per the shortest configured window after adaptation:
  // leadsync_rate_limit_effective.
  [[nodiscard]] int EffectiveLimit() const;
  // The limits refusals stated, shortest window first.
  [[nodiscard]] std::vector<LearnedLimit> Learned() const;
  // Each window's use at `now`, shortest first.
  [[nodiscard]] std::vector<WindowUse> Use(TimePoint now) const;
  // The window that holds the next start latest, when one holds it past now.
  [[nodiscard]] std::optional<WindowUse> Holding(TimePoint now) const;
  // The longest window any limit uses; starts older than this are forgotten.
  [[nodiscard]] Duration Window() const;
  // The window the level counts in (the shortest).
  [[nodiscard]] Duration LevelWindow() const { return limits_.front().per; }

 private:
  struct Limit {
    Duration per{0};
    std::optional<int> configured;
    std::optional<int> stated;
    [[nodiscard]] int Calls() const;
  };

  [[nodiscard]] int Ceiling() const;  // the level's top, in LevelWindow()
  [[nodiscard]] bool Congested(TimePoint now) const;
  [[nodiscard]] std::chrono::duration<double, std::milli> Spacing() const;
  [[nodiscard]] double Tokens(TimePoint now) const;
  [[nodiscard]] Limit& LimitFor(Duration per);
  bool Learn(const StatedLimit& stated);
  void Forget(TimePoint now);
  void Cut(TimePoint now);
  void MaybeProbe(TimePoint now);
  void SetLevel(int level, TimePoint now);
  void ResetLevel();

  RateLimiterOptions options_;
  std::vector<Limit> limits_;  // shortest window first, never empty
  CallWindow starts_;
  std::deque<TimePoint> accepted_;  // answer times of calls not refused
  std::deque<TimePoint> refused_;   // answer times of refusals
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
