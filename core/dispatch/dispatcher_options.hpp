#pragma once

#include <cstddef>
#include <vector>

#include "core/clock.hpp"
#include "core/codec/api_body.hpp"
#include "core/dispatch/backoff.hpp"
#include "core/dispatch/delivery_policy.hpp"
#include "core/dispatch/rate_window.hpp"

namespace leadsync {

// What the Dispatcher is told (the `leadsquared:` section without the API's
// address and keys, which only the BulkApi holds). daemon/options/ builds it
// from the configuration.
struct DispatcherOptions {
  int batch_size = 25;  // records per call, 1..25
  // Bytes of one call's body: a batch is cut before the record that would
  // pass it (a record over it alone never reaches the queue: ingest
  // refuses it as too_large).
  std::size_t max_request_bytes = kDefaultMaxRequestBytes;
  Duration linger{500};   // how long a partial batch waits for more records
  int max_in_flight = 8;  // calls in progress at once
  std::vector<RateWindow> rate_limit =
      std::vector<RateWindow>(1);  // the configured ceilings, one per window length
  BackoffOptions backoff;          // before retrying after a transient failure
  RetryPolicy retry;               // when to give a record up
  Duration pause_probe{60'000};    // while paused (401/403/404), one call this often
};

}  // namespace leadsync
