#pragma once

#include <boost/asio/awaitable.hpp>

namespace leadsync {

// One configured source: reads its input, hands records to the queue with
// its checkpoint in the same transaction, and reports through SourceEvents.
//
// Run() is spawned on the context's executor and returns after Stop(); it
// throws only what it cannot handle itself (a failed queue commit), and the
// daemon then restarts it with backoff. Stop() may be called from any thread.
class Source {
 public:
  virtual ~Source() = default;
  [[nodiscard]] virtual boost::asio::awaitable<void> Run() = 0;
  virtual void Stop() = 0;
};

}  // namespace leadsync
