#pragma once

#include <array>
#include <cstdint>

#include "core/queue/priority.hpp"

namespace leadsync {

// The starvation guard: in which order of priorities one claim fills its
// batch. Claims are counted from 0 (those that handed out records); most
// go high, normal, low. In every run of ten, claim 4 starts from normal and
// claim 9 from low (then the others, highest first), so while higher
// priorities have work each lower one still starts at least one call in ten.
// A guard claim whose priority has nothing ready is an ordinary claim.
class ClaimOrder final {
 public:
  static constexpr std::int64_t kPeriod = 10;

  // The order for the next claim.
  [[nodiscard]] std::array<Priority, 3> Next() const;
  // A claim that handed out records has been made.
  void Claimed() { ++claims_; }

 private:
  std::int64_t claims_ = 0;
};

}  // namespace leadsync
