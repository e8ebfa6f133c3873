#include "core/dispatch/call_window.hpp"

#include <algorithm>

namespace leadsync {

void CallWindow::Add(TimePoint at) {
  starts_.insert(std::upper_bound(starts_.begin(), starts_.end(), at), at);
}

void CallWindow::Move(TimePoint from, TimePoint to) {
  if (auto it = std::lower_bound(starts_.begin(), starts_.end(), from); it != starts_.end() && *it == from)
    starts_.erase(it);
  Add(std::max(from, to));
}

void CallWindow::Forget(TimePoint before) {
  while (!starts_.empty() && starts_.front() < before) starts_.pop_front();
}

// Starts are sorted: the ones inside the window are a suffix, found by a
// binary search (a start at or after now counts too: it is reserved).
TimePoint CallWindow::Earliest(int calls, Duration window, TimePoint now) const {
  const auto first = std::upper_bound(starts_.begin(), starts_.end(), now - window);
  const auto in_window = starts_.end() - first;
  if (in_window < calls) return now;
  // The start that must leave the window before one more fits.
  return std::max(now, *(first + (in_window - calls)) + window);
}

int CallWindow::CountIn(Duration window, TimePoint now) const {
  const auto first = std::upper_bound(starts_.begin(), starts_.end(), now - window);
  const auto last = std::upper_bound(first, starts_.end(), now);
  return static_cast<int>(last - first);
}

}  // namespace leadsync
