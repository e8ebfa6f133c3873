#pragma once

#include <chrono>
#include <optional>

#include "core/dispatch/rate_limiter.hpp"

namespace leadsync {

// A simulated LeadSquared account for the rate limiter's unit tests: calls
// arrive half a latency after they start, are refused over the account's
// window (shared with a foreign client's evenly spread calls) or at random,
// fail at random with a fault (a 5xx or a reset) that counts as an arrival,
// and their answers come back a latency after the start.
struct ServerModel {
  int account_calls = 25;
  std::chrono::seconds per{5};
  bool states_limit = true;  // refusals say "limit of N in S second(s)"
  double random_refusal = 0;
  double fault = 0;       // answered with a 5xx or a reset, whatever the load
  int foreign_calls = 0;  // per `per`, evenly spread
  std::chrono::seconds foreign_until{24 * 3600};
  std::chrono::milliseconds latency{300};
  int max_in_flight = 8;
};

struct ModelResult {
  int accepted = 0;             // after the warm-up
  int refused = 0;              // the whole run
  int min_effective = 1 << 30;  // the lowest EffectiveLimit() after the first answer
  Duration measured{0};
  [[nodiscard]] double Utilization(int calls_per_5s) const {
    return accepted / (std::chrono::duration<double>(measured).count() * calls_per_5s / 5.0);
  }
};

[[nodiscard]] ModelResult RunModel(const ServerModel& server, const RateLimiterOptions& options,
                                   std::chrono::seconds run,
                                   std::chrono::seconds warmup = std::chrono::seconds(10));

}  // namespace leadsync
