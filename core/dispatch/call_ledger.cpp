#include "core/dispatch/call_ledger.hpp"

#include <algorithm>
#include <vector>

namespace leadsync {

CallLedger::CallLedger(QueueRole<CallStartStore> store, RateLimiter& limiter, const TimeSource& clock)
    : store_(store), limiter_(limiter), clock_(clock) {}

boost::asio::awaitable<void> CallLedger::Restore() {
  if (restored_) co_return;
  const std::vector<LearnedLimit> stored =
      co_await store_.Submit([](CallStartStore& store) { return store.LearnedLimits(); });
  if (limiter_.RestoreLearned(stored) != stored) co_await KeepLearned();
  const TimePoint since = clock_.Now() - limiter_.Window() - kSendAllowance;
  std::vector<TimePoint> starts =
      co_await store_.Submit([since](CallStartStore& store) { return store.CallStartsSince(since); });
  // Each call left at most this long after the start its process persisted.
  for (TimePoint& start : starts) start += kSendAllowance;
  limiter_.Restore(starts);
  restored_ = true;
}

// A named local, not a capture made in the co_await expression: GCC 12
// destroys such a temporary twice.
boost::asio::awaitable<void> CallLedger::KeepLearned() {
  const std::vector<LearnedLimit> learned = limiter_.Learned();
  co_await store_.Submit([&learned](CallStartStore& store) { store.ReplaceLearnedLimits(learned); });
}

DispatchQueue::WithClaim CallLedger::PersistWithClaim(TimePoint at) {
  return [at](CallStartStore& store) { store.AddCallStart(at); };
}

void CallLedger::Record(TimePoint at) { limiter_.RecordStart(at); }

std::optional<TimePoint> CallLedger::Reserve(TimePoint at) {
  if (limiter_.NextStart(at) > at) return std::nullopt;
  limiter_.RecordStart(at);
  return at;
}

boost::asio::awaitable<TimePoint> CallLedger::StartNow() {
  const TimePoint now = clock_.Now();
  limiter_.RecordStart(now);
  co_await store_.Submit([now](CallStartStore& store) { store.AddCallStart(now); });
  co_return now;
}

// The clock is read on the queue thread: the later the persisted start, the
// closer it is to the send that follows the trip.
boost::asio::awaitable<TimePoint> CallLedger::Departure(TimePoint persisted) {
  const TimePoint recorded = persisted;
  while (clock_.Now() > persisted + kSendAllowance) {
    persisted = co_await store_.Submit([this](CallStartStore& store) {
      const TimePoint start = clock_.Now();
      store.AddCallStart(start);
      return start;
    });
  }
  const TimePoint sent = clock_.Now();
  limiter_.Restamp(recorded, sent);
  co_return sent;
}

TimePoint CallLedger::PruneBefore(TimePoint now) const {
  return now - std::max(kKeepAtLeast, limiter_.Window() + kSendAllowance);
}

}  // namespace leadsync
