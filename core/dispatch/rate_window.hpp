#pragma once

#include "core/clock.hpp"
#include "core/queue/call_start_store.hpp"  // LearnedLimit

namespace leadsync {

// A limit of `requests` calls in any window of `per`.
struct RateWindow {
  int requests = 25;
  Duration per{5000};
  bool operator==(const RateWindow&) const = default;
};

// How far one window is used: starts counted in it and its limit now (the
// lower of configured and stated), for metrics and `queue stats`.
struct WindowUse {
  Duration per{0};
  int calls = 0;
  int limit = 0;
  TimePoint next_free{};  // when one more start fits (<= now when it does)
};

}  // namespace leadsync
