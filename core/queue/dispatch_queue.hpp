#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "core/clock.hpp"
#include "core/queue/call_start_store.hpp"
#include "core/queue/records.hpp"
#include "core/queue/settlement.hpp"

namespace leadsync {

// How much one claim may hand out: records, and the bytes of the request
// body they make (JoinRecords of their stored texts).
struct ClaimLimit {
  int records = 0;
  std::size_t body_bytes = std::numeric_limits<std::size_t>::max();
};

// What the dispatcher needs of the queue: what is ready, claims, the end of
// each request, and the call-start ledger's storage (CallStartStore).
//
// Records come out highest priority first, oldest first within one (the
// starvation guard, ClaimOrder, lets each lower priority start one claim
// in ten), at most one per key in a claim; a key in
// flight is never handed out again until its request is settled, so one
// lead's changes reach the API in order. A record in flight goes back to
// pending ("returned") untouched or as a retry, and keeps its place in line.
// Each method is one transaction; throws QueueError. Blocking and not
// thread-safe: the daemon calls it on the queue thread (QueueService).
class DispatchQueue : public CallStartStore {
 public:
  // Work that commits with a claim or not at all: the call-start ledger
  // persists the call's start with it (CallLedger::PersistWithClaim).
  using WithClaim = std::function<void(CallStartStore&)>;

  // What could be claimed at `now`, up to `limit` records. A pure read: a
  // backed-off record that is due counts as ready without being moved.
  [[nodiscard]] virtual Readiness ReadReadiness(int limit, TimePoint now) = 0;
  // Marks up to `limit.records` records in flight (in priority order, one per
  // key), stopping before the first whose text would take the body over
  // `limit.body_bytes`; the first record is handed out even when it alone
  // is over (the cap may have been lowered after it was queued). When it
  // marks any, runs `with_claim` (may be empty) in the same transaction.
  // Rows that no longer decode are moved to the dead-letter store (reason
  // dead_letter::kUnreadable) instead of being handed out.
  [[nodiscard]] virtual std::vector<QueuedRecord> Claim(const ClaimLimit& limit, TimePoint now,
                                                        const WithClaim& with_claim) = 0;
  // Up to `limit` records, whatever their size.
  [[nodiscard]] std::vector<QueuedRecord> Claim(int limit, TimePoint now, const WithClaim& with_claim) {
    return Claim(ClaimLimit{limit}, now, with_claim);
  }
  // The same with nothing alongside (tools and tests).
  [[nodiscard]] std::vector<QueuedRecord> Claim(int limit, TimePoint now) {
    return Claim(ClaimLimit{limit}, now, nullptr);
  }
  // Delivered rows leave (journalled), dead ones move to the dead-letter
  // store, retries wait until their not_before, returned ones are ready.
  virtual void ApplySettlement(const Settlement& settlement) = 0;
  // Every record in flight back to pending, untouched (the dispatcher
  // restarts, or a previous process died with them on the wire). Returns
  // how many; `now` dates what a held change that no longer decodes becomes.
  virtual std::int64_t ReturnInFlight(TimePoint now) = 0;
  // How many rows any method moved to the dead-letter store as unreadable
  // since the last call, for leadsync_records_dead_lettered_total.
  [[nodiscard]] virtual std::int64_t TakeUnreadableCount() = 0;
};

}  // namespace leadsync
