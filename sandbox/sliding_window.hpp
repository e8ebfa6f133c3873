#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>

namespace leadsync {

// Arrival times of the calls of the last `per`, as LeadSquared counts them
// ("25 calls in any 5 seconds"): a call at t stays in the window while
// now - t < per. Remembers the most calls it ever held. Not thread-safe.
class SlidingWindow final {
 public:
  using Time = std::chrono::steady_clock::time_point;

  explicit SlidingWindow(std::chrono::milliseconds per) : per_(per) {}

  // Calls in the window that ends at `now`.
  [[nodiscard]] std::size_t CountAt(Time now) {
    Expire(now);
    return times_.size();
  }

  void Add(Time now) {
    Expire(now);
    times_.push_back(now);
    max_ = std::max(max_, times_.size());
  }

  [[nodiscard]] std::size_t max() const { return max_; }

  void Clear() {
    times_.clear();
    max_ = 0;
  }

 private:
  void Expire(Time now) {
    while (!times_.empty() && now - times_.front() >= per_) times_.pop_front();
  }

  std::chrono::milliseconds per_;
  std::deque<Time> times_;
  std::size_t max_ = 0;
};

}  // namespace leadsync
