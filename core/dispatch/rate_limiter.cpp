#include "core/dispatch/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace leadsync {

RateLimiter::RateLimiter(RateLimiterOptions options)
    : options_(options), effective_(std::max(1, options.requests)) {}

void RateLimiter::Expire(TimePoint now) {
  while (!starts_.empty() && starts_.front() + Window() <= now) starts_.pop_front();
  while (!accepted_.empty() && accepted_.front() + Window() <= now) accepted_.pop_front();
}

TimePoint RateLimiter::NextStart(TimePoint now) {
  Expire(now);
  TimePoint next = std::max(now, blocked_until_);
  const auto in_window = static_cast<int>(starts_.size());
  if (in_window >= effective_) {
    // The start that must leave the window before one more fits.
    next = std::max(next, starts_[static_cast<std::size_t>(in_window - effective_)] + Window());
  }
  return next;
}

void RateLimiter::RecordStart(TimePoint at) {
  auto pos = std::upper_bound(starts_.begin(), starts_.end(), at);
  starts_.insert(pos, at);
}

void RateLimiter::Restamp(TimePoint recorded, TimePoint sent) {
  if (auto it = std::find(starts_.begin(), starts_.end(), recorded); it != starts_.end()) starts_.erase(it);
  RecordStart(std::max(recorded, sent));
}

void RateLimiter::Restore(std::span<const TimePoint> starts) {
  for (TimePoint t : starts) RecordStart(t);
}

void RateLimiter::OnThrottled(TimePoint now, std::optional<Duration> retry_after) {
  Expire(now);
  // Several calls in flight may all be refused for one overshoot: lower the
  // limit once per window, not once per refusal.
  if (now - last_change_ >= Window() || effective_ == options_.requests) {
    const auto accepted = static_cast<int>(accepted_.size());
    const int lowered = accepted > 0 ? std::min(effective_ - 1, accepted)
                                     : static_cast<int>(std::floor(effective_ * options_.decrease_factor));
    effective_ = std::max(1, lowered);
    last_change_ = now;
  }
  blocked_until_ = std::max(blocked_until_, now + retry_after.value_or(Window()));
}

void RateLimiter::OnAccepted(TimePoint sent, TimePoint now) {
  accepted_.insert(std::upper_bound(accepted_.begin(), accepted_.end(), sent), sent);
  Expire(now);
  if (effective_ >= options_.requests) return;
  if (now - last_change_ >= options_.increase_after) {
    ++effective_;
    last_change_ = now;
  }
}

void RateLimiter::Reconfigure(RateLimiterOptions options) {
  options_ = options;
  effective_ = std::max(1, options.requests);
}

}  // namespace leadsync
