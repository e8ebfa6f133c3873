#include "core/dispatch/call_window.hpp"

#include <algorithm>

namespace leadsync {

void CallWindow::Add(TimePoint at) {
  starts_.insert(std::upper_bound(starts_.begin(), starts_.end(), at), at);
}

void CallWindow::Move(TimePoint from, TimePoint to) {
  if (auto it = std::find(starts_.begin(), starts_.end(), from); it != starts_.end()) starts_.erase(it);
  Add(std::max(from, to));
}

void CallWindow::Forget(TimePoint before) {
  while (!starts_.empty() && starts_.front() < before) starts_.pop_front();
}

TimePoint CallWindow::Earliest(int calls, Duration window, TimePoint now) const {
  const auto in_window = static_cast<int>(
      std::count_if(starts_.begin(), starts_.end(), [&](TimePoint t) { return t + window > now; }));
  if (in_window < calls) return now;
  // The start that must leave the window before one more fits.
  const auto first = starts_.size() - static_cast<std::size_t>(in_window);
  return std::max(now, starts_[first + static_cast<std::size_t>(in_window - calls)] + window);
}

int CallWindow::CountIn(Duration window, TimePoint now) const {
  return static_cast<int>(std::count_if(starts_.begin(), starts_.end(),
                                        [&](TimePoint t) { return t + window > now && t <= now; }));
}

}  // namespace leadsync
