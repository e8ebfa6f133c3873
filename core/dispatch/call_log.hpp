#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/dispatch/call_activity.hpp"
#include "core/dispatch/dispatcher_options.hpp"
#include "core/dispatch/failure_log.hpp"
#include "core/dispatch/rate_window.hpp"
#include "core/http/outcome.hpp"
#include "core/queue/records.hpp"
#include "core/queue/settlement.hpp"

namespace leadsync {

class Metrics;

// What the dispatcher's calls come to, in the metrics and the log: each
// answer (leadsync_requests_total, the batch size, a debug line with the
// fields source, records, status and duration_ms; a failure that repeats is
// summarised by a FailureLog), the counts of the summary an operator reads
// at info (CallActivity, taken by TakeActivity()), each retry's
// reason, each finished settlement (delivered, dead-lettered), rows found
// unreadable, a limit the server stated, and a long wait for a full window. Borrows the metrics; loop
// thread only.
class CallLog final {
 public:
  explicit CallLog(Metrics& metrics) : metrics_(metrics) {}

  void Answered(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now);
  // leadsync_retries_total by the kind of the answer retried.
  void Retried(OutcomeKind kind);
  // A batch split in two after a data error.
  void RetriedAsHalves();
  void Finished(const Settlement& settlement);
  void FoundUnreadable(std::int64_t rows);
  // A refusal stated a limit not known before: one warning for its window,
  // saying what to configure when `configured` holds that window above it.
  void Learned(const StatedLimit& stated, const std::vector<RateWindow>& configured);
  // A window is full until `next` (a long one, such as a daily cap): one
  // warning for each time it fills, naming the window and the next start.
  void WindowFull(const WindowUse& window, TimePoint now);
  // The counts since the last call, and a fresh start.
  [[nodiscard]] CallActivity TakeActivity() { return std::exchange(activity_, {}); }

 private:
  Metrics& metrics_;
  FailureLog api_failures_{"LeadSquared API"};
  TimePoint full_until_{};  // the end of the last wait WindowFull() warned of
  CallActivity activity_;
};

}  // namespace leadsync
