#include "daemon/retention.hpp"

#include <utility>

#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"

namespace leadsync::daemon {

boost::asio::awaitable<void> Retention::Prune() {
  const TimePoint now = clock_.Now();
  const Duration dead_letters = settings_.dead_letter_retention;
  const Duration history = settings_.history;
  const auto [dead, journal] = co_await queue_.Submit([now, dead_letters, history](Queue& q) {
    return std::pair{dead_letters.count() > 0 ? q.PruneDeadLetters(now - dead_letters) : 0,
                     history.count() > 0 ? q.PruneHistory(now - history) : 0};
  });
  metrics_.RecordPruned("dead_letter", static_cast<std::uint64_t>(dead));
  metrics_.RecordPruned("history", static_cast<std::uint64_t>(journal));
}

}  // namespace leadsync::daemon
