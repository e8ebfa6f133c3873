#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/queue/queue.hpp"

namespace leadsync {

// What a source tells the rest of the daemon, so that sources stay decoupled
// from Metrics, logging and the dispatcher: the daemon wires these to
// Metrics::RecordIngested/RecordRejected/RecordCoalesced/RecordSourceError
// /RecordConnectionDropped, to its log, and to the dispatcher's wake-up.
// Sources call them through IngestReport, the one place that reports.
//
// Sources call them on their own executor (the network loop), never on the
// queue thread. Any member may be left empty.
struct SourceEvents {
  // One commit: what the queue made of it, and the records it rejected
  // (each names its file:line, reason and category).
  std::function<void(const std::string& source, const EnqueueResult&, std::span<const Rejection> rejections)>
      on_ingested;
  // A failure the operator should see (a file that cannot be read, a
  // missing directory, a query that fails): a source error. `what` never
  // holds a secret.
  std::function<void(const std::string& source, const std::string& what)> on_error;
  // New records are pending: wakes the dispatcher.
  std::function<void()> on_enqueued;
  // A webhook's server dropped a connection before it was done; `reason` is
  // net::DropReasonLabel's ("evicted", "write_timeout"...). Initialized, so
  // that a brace list of the three above stays complete.
  std::function<void(const std::string& source, std::string_view reason)> on_connection_dropped{};
  // A state worth a log line that is no failure: the backlog at
  // max_pending (the source waits), a rotation, a truncation.
  std::function<void(const std::string& source, const std::string& what)> on_state{};
  // Whether the source can do its work: false while a failure stops it and
  // it retries by itself (its database refuses it, its directory cannot be
  // read), true once it works again. Called at least at every change; the
  // daemon hands it to the source's Supervisor, which marks the source down
  // (/readyz names it, leadsync_source_up is 0) as after a throw.
  std::function<void(const std::string& source, bool working)> on_working{};
};

}  // namespace leadsync
