#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

namespace leadsync {

// The standard process_* metrics every Prometheus client exports, read from
// /proc/self at each Collect() (so a scrape costs a few small file reads):
// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds (Unix seconds).
//
// Stateless apart from the start time, computed once at construction;
// Collect() is safe to call from any thread. Where /proc is missing, the
// metrics it would have fed are left out rather than reported as 0.
class ProcessMetrics final : public prometheus::Collectable {
 public:
  ProcessMetrics();

  [[nodiscard]] std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  double start_time_seconds_ = 0;  // 0: unknown
};

}  // namespace leadsync
