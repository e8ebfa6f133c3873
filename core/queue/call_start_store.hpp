#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/clock.hpp"

namespace leadsync {

// A limit a refusal stated for the window of length `per`, kept in the queue
// across restarts with the value configured for that window when it was
// learned (`configured`, nullopt when none was): a different configured
// value means the operator changed that window, and the learned limit goes.
struct LearnedLimit {
  Duration per{0};
  int calls = 0;
  std::optional<int> configured;
  bool operator==(const LearnedLimit&) const = default;
};

// The call starts and learned limits kept in the queue, so that the rate
// limit holds across restarts: the storage of the call-start ledger
// (core/dispatch/call_ledger.hpp), which alone decides what to store, when,
// and how to read it back. Each method is one statement but
// ReplaceLearnedLimits (one per limit, in the caller's transaction);
// blocking and not thread-safe.
class CallStartStore {
 public:
  virtual ~CallStartStore() = default;

  // Every stored start at or after `since`, oldest first.
  [[nodiscard]] virtual std::vector<TimePoint> CallStartsSince(TimePoint since) = 0;
  virtual void AddCallStart(TimePoint at) = 0;
  virtual void PruneCallStarts(TimePoint before) = 0;

  // Every stored learned limit, shortest window first.
  [[nodiscard]] virtual std::vector<LearnedLimit> LearnedLimits() = 0;
  // The stored learned limits become `limits`.
  virtual void ReplaceLearnedLimits(std::span<const LearnedLimit> limits) = 0;
};

}  // namespace leadsync
