#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/codec/api_body.hpp"
#include "core/queue/queue.hpp"

namespace leadsync {

// The body of one bulk call from claimed records: their stored texts joined.
[[nodiscard]] std::string BatchBody(std::span<const QueuedRecord> records);

// The calls the dispatcher would make for some leads alone: the leads go
// through a queue in memory, so coalescing by key, the order and the cut into
// batches (by records and by body bytes) are the daemon's own. Holds one
// record per distinct key.
class BatchPlan final {
 public:
  explicit BatchPlan(int batch_size, std::size_t max_request_bytes = kDefaultMaxRequestBytes);

  void Add(std::span<const IncomingLead> leads);

  // The next call's body, oldest records first; empty when none is left.
  [[nodiscard]] std::string NextBody();

 private:
  ClaimLimit limit_;
  std::unique_ptr<Queue> queue_;
};

}  // namespace leadsync
