#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/codec/api_answer.hpp"

namespace leadsync {

struct Delivered {
  std::int64_t id = 0;
  RowResult row;
};

struct RetryLater {
  std::int64_t id = 0;
  TimePoint not_before;
};

struct DeadLetter {
  std::int64_t id = 0;
  std::string reason;  // a label value of leadsync_records_dead_lettered_total
  std::optional<int> status;
  std::string exception_type;
  std::string message;
};

// The end of one request for the records it carried, as the delivery policy
// decides it (the Settle… functions of core/dispatch/delivery_policy.hpp);
// DispatchQueue::ApplySettlement applies it in one transaction.
struct Settlement {
  TimePoint at;
  int status = 0;  // HTTP status of the request, for the journal
  std::vector<Delivered> delivered;
  std::vector<RetryLater> retry;  // attempts + 1, back to pending
  std::vector<DeadLetter> dead;
  std::vector<std::int64_t> returned;  // back to pending untouched (no attempt counted)
};

}  // namespace leadsync
