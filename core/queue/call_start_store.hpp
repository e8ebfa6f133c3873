#pragma once

#include <vector>

#include "core/clock.hpp"

namespace leadsync {

// The call starts kept in the queue, so that the rate limit holds across
// restarts: the storage of the call-start ledger (core/dispatch/call_ledger.hpp),
// which alone decides what to store, when, and how to read it back.
// Each method is one statement; blocking and not thread-safe.
class CallStartStore {
 public:
  virtual ~CallStartStore() = default;

  // Every stored start at or after `since`, oldest first.
  [[nodiscard]] virtual std::vector<TimePoint> CallStartsSince(TimePoint since) = 0;
  virtual void AddCallStart(TimePoint at) = 0;
  virtual void PruneCallStarts(TimePoint before) = 0;
};

}  // namespace leadsync
