#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/dispatch/rate_window.hpp"
#include "core/queue/queue.hpp"

// Each rate-limit window's use as `queue stats` shows it, read from the
// queue file beside a running daemon: the configured windows, the limits
// refusals stated (kept in the queue), and the call starts they count.
namespace leadsync::daemon {

// Blocking (reads the queue); shortest window first.
[[nodiscard]] std::vector<WindowUse> ReadWindowUse(Queue& queue, const config::LeadSquared& settings,
                                                   TimePoint now);

// The window label the metrics and `queue stats` use: whole seconds and an
// "s" ("5s", "86400s").
[[nodiscard]] std::string WindowLabel(Duration per);

// The text lines of `queue stats` for the windows: use, limit, and when the
// next call may start in a full one.
[[nodiscard]] std::string WindowUseText(const std::vector<WindowUse>& windows, TimePoint now);

}  // namespace leadsync::daemon
