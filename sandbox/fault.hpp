#pragma once

#include <chrono>
#include <random>

#include "sandbox/sandbox.hpp"

namespace leadsync {

// The faults one API call gets.
struct CallFaults {
  bool drop = false;          // close the connection instead of answering
  bool throttle = false;      // 429 although under the limit
  bool server_error = false;  // 500 without an MX exception
  std::chrono::milliseconds latency{0};
};

// The sandbox's dice. Every API call draws all of its faults, in the same
// order, from a generator of its own (lead ids come from another), so a
// seeded sandbox gives the n-th call the same faults whatever the calls
// carry and however the client batches. Not thread-safe.
class FaultInjector final {
 public:
  explicit FaultInjector(const SandboxOptions& options)
      : options_(options),
        faults_(options.seed ? *options.seed : std::random_device{}()),
        ids_(options.seed ? *options.seed + 1 : std::random_device{}()) {}

  [[nodiscard]] CallFaults Next() {
    CallFaults faults;
    faults.drop = Draw(options_.reset_rate);
    faults.throttle = Draw(options_.throttle_rate);
    faults.server_error = Draw(options_.error_rate);
    faults.latency = options_.latency + Jitter();
    return faults;
  }

  // For lead ids.
  [[nodiscard]] std::mt19937& id_generator() { return ids_; }

 private:
  bool Draw(double probability) {
    return std::uniform_real_distribution<double>(0, 1)(faults_) < probability;
  }

  std::chrono::milliseconds Jitter() {
    const auto most = options_.latency_jitter.count();
    return std::chrono::milliseconds(std::uniform_int_distribution<long>(0, most > 0 ? most : 0)(faults_));
  }

  SandboxOptions options_;
  std::mt19937 faults_;
  std::mt19937 ids_;
};

}  // namespace leadsync
