#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "core/sources/backpressure.hpp"
#include "core/sources/source_events.hpp"
#include "core/timer.hpp"

namespace leadsync {

class QueueService;

// What every source borrows from the daemon; all of it outlives the source.
// `executor` is the network loop: a source's coroutines and every
// SourceEvents call run there; queue work goes through `queue`. `clock` is
// the loop's: every wait a source does (poll interval, retry, rescan,
// rotation grace) is a timer of it, so tests run sources on simulated time.
// Its Now() is read on the loop and passed to queue work, never read there.
struct SourceContext {
  boost::asio::any_io_executor executor;
  QueueService& queue;
  SourceEvents events;
  Backpressure& backpressure;
  Clock& clock;
};

}  // namespace leadsync
