#pragma once

#include <cstddef>
#include <cstdint>

#include "core/clock.hpp"
#include "core/dispatch/dispatcher_options.hpp"
#include "core/dispatch/failure_log.hpp"
#include "core/http/outcome.hpp"
#include "core/queue/settlement.hpp"

namespace leadsync {

class Metrics;

// What the dispatcher's calls come to, in the metrics and the log: each
// answer (leadsync_requests_total, the batch size, a line; a failure that
// repeats is summarised by a FailureLog, not logged per retry), each retry's
// reason, each finished settlement (delivered, dead-lettered), rows found
// unreadable, and a limit the server stated. Borrows the metrics; loop
// thread only.
class CallLog final {
 public:
  explicit CallLog(Metrics& metrics) : metrics_(metrics) {}

  void Answered(std::size_t records, const ApiOutcome& outcome, TimePoint now);
  // leadsync_retries_total by the kind of the answer retried.
  void Retried(OutcomeKind kind);
  // A batch split in two after a data error.
  void RetriedAsHalves();
  void Finished(const Settlement& settlement);
  void FoundUnreadable(std::int64_t rows);
  // A refusal stated a limit lower than known; says what to configure when
  // `configured` is above it.
  void LearnedLimit(const StatedLimit& stated, const RateWindow& configured);

 private:
  Metrics& metrics_;
  FailureLog api_failures_{"LeadSquared API"};
};

}  // namespace leadsync
