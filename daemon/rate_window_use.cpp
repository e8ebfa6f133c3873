#include "daemon/rate_window_use.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/dispatch/call_ledger.hpp"
#include "core/dispatch/rate_limiter.hpp"
#include "daemon/options/dispatcher_options.hpp"

namespace leadsync::daemon {

std::vector<WindowUse> ReadWindowUse(Queue& queue, const config::LeadSquared& settings, TimePoint now) {
  RateLimiter limiter(RateLimiterOptionsFor(DispatcherOptionsFrom(settings).rate_limit));
  (void)limiter.RestoreLearned(queue.LearnedLimits());
  // As the daemon counts them after a restart (CallLedger::Restore).
  std::vector<TimePoint> starts = queue.CallStartsSince(now - limiter.Window() - CallLedger::kSendAllowance);
  for (TimePoint& start : starts) start += CallLedger::kSendAllowance;
  limiter.Restore(starts);
  return limiter.Use(now);
}

std::string WindowLabel(Duration per) {
  return fmt::format("{}s", std::chrono::duration_cast<std::chrono::seconds>(per).count());
}

std::string WindowUseText(const std::vector<WindowUse>& windows, TimePoint now) {
  std::string text;
  for (const WindowUse& w : windows) {
    text += fmt::format("rate window  {}: {} of {} calls", WindowLabel(w.per), w.calls, w.limit);
    if (w.next_free > now) {
      text += fmt::format(", full until {:%Y-%m-%d %H:%M:%S} UTC",
                          std::chrono::time_point_cast<std::chrono::seconds>(w.next_free));
    }
    text += "\n";
  }
  return text;
}

}  // namespace leadsync::daemon
