#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "core/clock.hpp"
#include "core/sources/backpressure.hpp"
#include "core/sources/source_events.hpp"

namespace leadsync {

class QueueService;

// What every source borrows from the daemon; all of it outlives the source.
// `executor` is the network loop: a source's coroutines and every
// SourceEvents call run there; queue work goes through `queue`.
struct SourceContext {
  boost::asio::any_io_executor executor;
  QueueService& queue;
  SourceEvents events;
  Backpressure& backpressure;
  const TimeSource& clock;
};

}  // namespace leadsync
