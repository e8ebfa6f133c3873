#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "core/clock.hpp"
#include "core/dispatch/rate_limiter.hpp"
#include "core/queue/dispatch_queue.hpp"
#include "core/queue/queue_service.hpp"

namespace leadsync {

// The call starts the rate limit counts, and the limits refusals stated: each one in the limiter's windows
// and in the queue's CallStartStore, so that a restarted daemon counts the
// calls its previous process made. The one place that records, persists,
// moves and restores a start; the dispatcher only says when a call starts.
//
// The invariant, which makes a restart after a kill safe: every call the
// server saw left at most kSendAllowance after a start persisted for it,
// so counting each persisted start kSendAllowance later never counts a call
// earlier than the server did. A start is persisted before its call leaves,
// in the claim's transaction when the claim is for a call starting then
// (PersistWithClaim), else in a trip of its own.
//
// Keeps the starts the limiter's longest window needs (RateLimiter::Window()).
// Loop thread only, but for the function PersistWithClaim returns, which runs
// on the queue thread. Borrows the queue service and role, the limiter and
// the clock.
class CallLedger final {
 public:
  // How long after its persisted start a call may leave.
  static constexpr Duration kSendAllowance{250};
  // Persisted starts are kept at least this long (a window the daemon has not
  // learned yet may need them).
  static constexpr Duration kKeepAtLeast{3'600'000};

  CallLedger(QueueRole<CallStartStore> store, RateLimiter& limiter, const TimeSource& clock);

  // Before the first call (later calls do nothing): the persisted learned
  // limits go into the limiter (those whose window's configured value has
  // changed are dropped, from the queue too), then the persisted starts its
  // windows may still count, each kSendAllowance later than persisted.
  [[nodiscard]] boost::asio::awaitable<void> Restore();
  // Persists the limiter's learned limits, after a refusal taught one or a
  // reload dropped one.
  [[nodiscard]] boost::asio::awaitable<void> KeepLearned();

  // Queue-thread work for DispatchQueue::Claim: persists `at`, the start of
  // the call the claim is for, in the claim's transaction.
  [[nodiscard]] static DispatchQueue::WithClaim PersistWithClaim(TimePoint at);
  // A call starts at `at` (now): the limiter counts it. Its start is
  // persisted by the claim that follows (PersistWithClaim(at)).
  void Record(TimePoint at);
  // A batch was claimed with its start persisted at `at`: the limiter counts
  // that start if it still allows one then (returns `at`), else nullopt
  // (another call took the slot meanwhile; the batch must StartNow later).
  [[nodiscard]] std::optional<TimePoint> Reserve(TimePoint at);
  // A call whose slot has come starts now: counted and persisted (one trip).
  [[nodiscard]] boost::asio::awaitable<TimePoint> StartNow();
  // Just before a call leaves, its start having been persisted at
  // `persisted`: when that is more than kSendAllowance ago (a busy queue
  // thread), persists a later start first. The limiter's start moves to the
  // time returned, when the call leaves.
  [[nodiscard]] boost::asio::awaitable<TimePoint> Departure(TimePoint persisted);

  // Persisted starts before this no window needs any more.
  [[nodiscard]] TimePoint PruneBefore(TimePoint now) const;

 private:
  QueueRole<CallStartStore> store_;
  RateLimiter& limiter_;
  const TimeSource& clock_;
  bool restored_ = false;
};

}  // namespace leadsync
