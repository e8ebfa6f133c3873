#include "daemon/options/dispatcher_options.hpp"

namespace leadsync::daemon {

DispatcherOptions DispatcherOptionsFrom(const config::LeadSquared& s) {
  DispatcherOptions o;
  o.batch_size = s.batch_size;
  o.max_request_bytes = static_cast<std::size_t>(s.max_request_bytes);
  o.linger = s.linger;
  o.max_in_flight = s.max_in_flight;
  o.rate_limit.clear();
  for (const config::RateLimit& w : s.rate_limit) o.rate_limit.push_back({w.requests, w.per});
  o.backoff = {s.retry.initial_backoff, s.retry.max_backoff};
  o.retry.max_record_age = s.retry.max_record_age;
  o.pause_probe = s.pause_probe;
  return o;
}

}  // namespace leadsync::daemon
