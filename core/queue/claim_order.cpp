#include "core/queue/claim_order.hpp"

namespace leadsync {
namespace {

std::array<Priority, 3> StartingFrom(Priority first) {
  std::array<Priority, 3> order{first, first, first};
  std::size_t next = 1;
  for (Priority priority : kPriorities) {
    if (priority != first) order[next++] = priority;
  }
  return order;
}

}  // namespace

std::array<Priority, 3> ClaimOrder::Next() const {
  switch (claims_ % kPeriod) {
    case 4:
      return StartingFrom(Priority::kNormal);
    case kPeriod - 1:
      return StartingFrom(Priority::kLow);
    default:
      return kPriorities;
  }
}

}  // namespace leadsync
