#pragma once

#include <chrono>
#include <random>

#include "core/sandbox/sandbox.hpp"

namespace leadsync {

// The sandbox's dice: which call is slowed, refused, failed or dropped.
// One generator for everything, so a seeded sandbox repeats its faults for
// the same sequence of calls. Not thread-safe.
class FaultInjector final {
 public:
  explicit FaultInjector(const SandboxOptions& options)
      : latency_(options.latency), jitter_(options.latency_jitter), error_rate_(options.error_rate),
        throttle_rate_(options.throttle_rate), reset_rate_(options.reset_rate),
        rng_(options.seed ? *options.seed : std::random_device{}()) {}

  [[nodiscard]] std::chrono::milliseconds Latency() {
    if (jitter_.count() <= 0) return latency_;
    std::uniform_int_distribution<long> extra(0, static_cast<long>(jitter_.count()));
    return latency_ + std::chrono::milliseconds(extra(rng_));
  }

  [[nodiscard]] bool ServerError() { return Draw(error_rate_); }
  [[nodiscard]] bool Throttle() { return Draw(throttle_rate_); }
  [[nodiscard]] bool Reset() { return Draw(reset_rate_); }

  // For anything else random (lead ids).
  [[nodiscard]] std::mt19937& generator() { return rng_; }

 private:
  bool Draw(double probability) {
    if (probability <= 0) return false;
    if (probability >= 1) return true;
    return std::bernoulli_distribution(probability)(rng_);
  }

  std::chrono::milliseconds latency_;
  std::chrono::milliseconds jitter_;
  double error_rate_;
  double throttle_rate_;
  double reset_rate_;
  std::mt19937 rng_;
};

}  // namespace leadsync
