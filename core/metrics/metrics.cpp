// Over 300 lines for a reason: every family's name, help text and labels are
// the contract docs/metrics.md lists, and they read best in one place.
#include "core/metrics/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>

#include "core/metrics/process_metrics.hpp"

namespace leadsync {
namespace {

#ifdef LEADSYNC_VERSION
constexpr const char* kVersion = LEADSYNC_VERSION;
#else
constexpr const char* kVersion = "dev";
#endif

// A 25-record call takes 0.3-2 s on LeadSquared; 30 s is the default timeout.
prometheus::Histogram::BucketBoundaries RequestDurationBuckets() {
  return {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

// The API takes at most 25 records a call.
prometheus::Histogram::BucketBoundaries BatchRecordsBuckets() { return {1, 2, 5, 10, 15, 20, 25}; }

prometheus::Family<prometheus::Counter>& AddCounterFamily(prometheus::Registry& registry,
                                                          const std::string& name, const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

prometheus::Counter& AddCounter(prometheus::Registry& registry, const std::string& name,
                                const std::string& help) {
  return AddCounterFamily(registry, name, help).Add({});
}

prometheus::Family<prometheus::Gauge>& AddGaugeFamily(prometheus::Registry& registry, const std::string& name,
                                                      const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

prometheus::Gauge& AddGauge(prometheus::Registry& registry, const std::string& name,
                            const std::string& help) {
  return AddGaugeFamily(registry, name, help).Add({});
}

constexpr std::array<const char*, 3> kPriorityLabels{"high", "normal", "low"};

prometheus::Histogram& AddHistogram(prometheus::Registry& registry, const std::string& name,
                                    const std::string& help,
                                    const prometheus::Histogram::BucketBoundaries& buckets) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(registry).Add({}, buckets);
}

double ToDouble(std::uint64_t n) { return static_cast<double>(n); }

}  // namespace

Metrics::Metrics(const std::vector<std::string>& source_names)
    : registry_(std::make_shared<prometheus::Registry>()), process_(std::make_shared<ProcessMetrics>()) {
  RegisterCapacityMetrics();  // first: DeclareSource adds a source's lag series
  RegisterIngestMetrics(source_names);
  RegisterQueueMetrics();
  RegisterDeliveryMetrics();
  RegisterDispatchMetrics();
  RegisterServerMetrics();
  config_reload_failures_ = &AddCounter(*registry_, "leadsync_config_reload_failures_total",
                                        "Configuration reloads refused because the new file was invalid.");
  prometheus::BuildGauge()
      .Name("leadsync_build_info")
      .Help("Always 1; the version label names the running build.")
      .Register(*registry_)
      .Add({{"version", kVersion}})
      .Set(1);
}

Metrics::~Metrics() = default;

void Metrics::RegisterIngestMetrics(const std::vector<std::string>& source_names) {
  ingested_ = &AddCounterFamily(*registry_, "leadsync_records_ingested_total",
                                "Lead changes committed to the queue, by source.");
  rejected_ = &AddCounterFamily(*registry_, "leadsync_records_rejected_total",
                                "Lead changes refused at ingest, by source and reason.");
  source_errors_ = &AddCounterFamily(*registry_, "leadsync_source_errors_total",
                                     "Failed source runs (unreadable file, database error), by source.");
  source_up_ = &prometheus::BuildGauge()
                    .Name("leadsync_source_up")
                    .Help("1 while a source runs, 0 while it is down after a failure until its restart.")
                    .Register(*registry_);
  for (const auto& source : source_names) DeclareSource(source);
}

void Metrics::RegisterQueueMetrics() {
  coalesced_ = &AddCounter(*registry_, "leadsync_records_coalesced_total",
                           "Lead changes merged into a pending change for the same lead key.");
  dead_letter_records_ =
      &AddGauge(*registry_, "leadsync_dead_letter_records", "Records held in the dead-letter store.");
  queue_errors_ = &AddCounterFamily(*registry_, "leadsync_queue_errors_total",
                                    "Queue operations that failed, by reason (disk_full, damaged, busy, io, "
                                    "other); the work is retried.");
  for (const char* reason : {"disk_full", "damaged", "busy", "io", "other"}) {
    queue_errors_->Add({{"reason", reason}});
  }
  pruned_ = &AddCounterFamily(*registry_, "leadsync_records_pruned_total",
                              "Entries deleted for their age (queue.dead_letter_retention, queue.history), "
                              "by kind (dead_letter, history).");
  for (const char* kind : {"dead_letter", "history"}) pruned_->Add({{"kind", kind}});
}

void Metrics::RegisterDeliveryMetrics() {
  auto& delivered =
      AddCounterFamily(*registry_, "leadsync_records_delivered_total",
                       "Records accepted by LeadSquared, by whether the lead was created or updated.");
  delivered_created_ = &delivered.Add({{"result", "created"}});
  delivered_updated_ = &delivered.Add({{"result", "updated"}});
  dead_lettered_ = &AddCounterFamily(*registry_, "leadsync_records_dead_lettered_total",
                                     "Records moved to the dead-letter store, by reason.");
  requests_ = &AddCounterFamily(*registry_, "leadsync_requests_total",
                                "Finished LeadSquared API calls, by HTTP status, network or timeout.");
  request_duration_ = &AddHistogram(*registry_, "leadsync_request_duration_seconds",
                                    "Duration of LeadSquared API calls.", RequestDurationBuckets());
  batch_records_ = &AddHistogram(*registry_, "leadsync_batch_records", "Records sent per API call.",
                                 BatchRecordsBuckets());
}

void Metrics::RegisterDispatchMetrics() {
  task_failures_ = &AddCounterFamily(*registry_, "leadsync_task_failures_total",
                                     "Failures of the daemon's own tasks (dispatcher, housekeeping...), each "
                                     "restarted with backoff.");
  for (const char* task : {"dispatcher", "housekeeping"}) task_failures_->Add({{"task", task}});
  retries_ =
      &AddCounterFamily(*registry_, "leadsync_retries_total", "Batches scheduled for retry, by reason.");
  rate_limit_wait_ = &AddCounter(*registry_, "leadsync_rate_limit_wait_seconds_total",
                                 "Time dispatch spent waiting for the rate limiter.");
  in_flight_ = &AddGauge(*registry_, "leadsync_in_flight_requests", "API calls in progress.");
  paused_ = &AddGauge(*registry_, "leadsync_dispatch_paused",
                      "1 while dispatch is paused on 401, 403 or 404, else 0.");
  rate_limit_effective_ = &AddGauge(*registry_, "leadsync_rate_limit_effective",
                                    "Calls allowed per rate limit window after adapting to 429 answers.");
  rate_limit_window_calls_ = &prometheus::BuildGauge()
                                  .Name("leadsync_rate_limit_window_calls")
                                  .Help("Calls started in each rate-limit window now, by window length.")
                                  .Register(*registry_);
  rate_limit_window_limit_ = &prometheus::BuildGauge()
                                  .Name("leadsync_rate_limit_window_limit")
                                  .Help("Each rate-limit window's limit (configured or stated by a refusal).")
                                  .Register(*registry_);
}

// The metrics endpoint's series exist from the start, so that an alert on
// their rate works before the first drop.
void Metrics::RegisterServerMetrics() {
  connections_dropped_ = &AddCounterFamily(
      *registry_, "leadsync_http_connections_dropped_total",
      "Connections the metrics endpoint or a webhook dropped before they were done: closed to "
      "make room, refused when full, or past a read or write deadline.");
  for (const char* reason : {"evicted", "full", "read_timeout", "write_timeout"}) {
    connections_dropped_->Add({{"server", "metrics"}, {"reason", reason}});
  }
}

// The backlog by priority and the lag of each source: what capacity
// planning and the high-priority lag alert read.
void Metrics::RegisterCapacityMetrics() {
  queue_pending_ = &AddGaugeFamily(*registry_, "leadsync_queue_pending",
                                   "Records waiting in the queue or in flight, by priority.");
  queue_oldest_age_ =
      &AddGaugeFamily(*registry_, "leadsync_queue_oldest_age_seconds",
                      "Age of the oldest record pending or in flight, by priority; 0 when there is none.");
  for (const char* priority : kPriorityLabels) {
    queue_pending_->Add({{"priority", priority}});
    queue_oldest_age_->Add({{"priority", priority}});
  }
  backlog_drain_ = &AddGaugeFamily(*registry_, "leadsync_backlog_drain_seconds",
                                   "Seconds until the records of a priority (and of every higher one) are "
                                   "through at the rate limit now in force.");
  source_lag_ = &AddGaugeFamily(*registry_, "leadsync_source_lag_seconds",
                                "Age of the oldest record a source queued that is pending or in flight.");
  source_info_ = &AddGaugeFamily(*registry_, "leadsync_source_info", "Always 1: each source's priority.");
}

void Metrics::DeclareSource(const std::string& source) {
  ingested_->Add({{"source", source}});
  source_errors_->Add({{"source", source}});
  SetSourceUp(source, true);
  source_lag_->Add({{"source", source}});
}

void Metrics::RecordIngested(const std::string& source, std::uint64_t n) {
  ingested_->Add({{"source", source}}).Increment(ToDouble(n));
}

void Metrics::RecordRejected(const std::string& source, const std::string& reason, std::uint64_t n) {
  rejected_->Add({{"source", source}, {"reason", reason}}).Increment(ToDouble(n));
}

void Metrics::RecordSourceError(const std::string& source) {
  source_errors_->Add({{"source", source}}).Increment();
}

void Metrics::SetSourceUp(const std::string& source, bool up) {
  source_up_->Add({{"source", source}}).Set(up ? 1 : 0);
}

void Metrics::ForgetSourceUp(const std::string& source) {
  source_up_->Remove(&source_up_->Add({{"source", source}}));
}

void Metrics::RecordCoalesced(std::uint64_t n) { coalesced_->Increment(ToDouble(n)); }

void Metrics::SetQueuePending(std::string_view priority, double records) {
  queue_pending_->Add({{"priority", std::string(priority)}}).Set(records);
}

void Metrics::SetQueueOldestAge(std::string_view priority, double seconds) {
  queue_oldest_age_->Add({{"priority", std::string(priority)}}).Set(seconds);
}

void Metrics::SetBacklogDrain(std::string_view priority, std::optional<double> seconds) {
  prometheus::Gauge& gauge = backlog_drain_->Add({{"priority", std::string(priority)}});
  if (seconds) {
    gauge.Set(*seconds);
  } else {
    backlog_drain_->Remove(&gauge);
  }
}

void Metrics::SetSourceLag(const std::string& source, double seconds) {
  source_lag_->Add({{"source", source}}).Set(seconds);
}

void Metrics::SetSourcePriority(const std::string& source, std::string_view priority) {
  for (const char* other : kPriorityLabels) {
    if (other == priority) continue;
    if (source_info_->Has({{"source", source}, {"priority", other}}))
      source_info_->Remove(&source_info_->Add({{"source", source}, {"priority", other}}));
  }
  source_info_->Add({{"source", source}, {"priority", std::string(priority)}}).Set(1);
}

void Metrics::SetDeadLetterRecords(double records) { dead_letter_records_->Set(records); }

void Metrics::RecordDelivered(bool created, std::uint64_t n) {
  (created ? delivered_created_ : delivered_updated_)->Increment(ToDouble(n));
}

void Metrics::RecordDeadLettered(const std::string& reason, std::uint64_t n) {
  dead_lettered_->Add({{"reason", reason}}).Increment(ToDouble(n));
}

void Metrics::RecordRequest(const std::string& code_label, double seconds) {
  requests_->Add({{"code", code_label}}).Increment();
  request_duration_->Observe(seconds);
}

void Metrics::ObserveBatch(std::size_t records) { batch_records_->Observe(static_cast<double>(records)); }

void Metrics::RecordRetry(const std::string& reason) { retries_->Add({{"reason", reason}}).Increment(); }

void Metrics::AddRateLimitWait(double seconds) { rate_limit_wait_->Increment(seconds); }

void Metrics::SetInFlight(double requests) { in_flight_->Set(requests); }

void Metrics::SetPaused(bool paused) { paused_->Set(paused ? 1 : 0); }

void Metrics::SetRateLimitEffective(double calls) { rate_limit_effective_->Set(calls); }

void Metrics::RecordPruned(std::string_view kind, std::uint64_t n) {
  pruned_->Add({{"kind", std::string(kind)}}).Increment(ToDouble(n));
}

void Metrics::SetRateLimitWindow(const std::string& window, double calls, double limit) {
  rate_limit_window_calls_->Add({{"window", window}}).Set(calls);
  rate_limit_window_limit_->Add({{"window", window}}).Set(limit);
}

void Metrics::RecordQueueError(std::string_view reason) {
  queue_errors_->Add({{"reason", std::string(reason)}}).Increment();
}

void Metrics::RecordConnectionDropped(const std::string& source, std::string_view reason) {
  if (source.empty()) {
    connections_dropped_->Add({{"server", "metrics"}, {"reason", std::string(reason)}}).Increment();
    return;
  }
  connections_dropped_->Add({{"server", "webhook"}, {"source", source}, {"reason", std::string(reason)}})
      .Increment();
}

void Metrics::RecordConfigReloadFailure() { config_reload_failures_->Increment(); }

void Metrics::RecordTaskFailure(const std::string& task) {
  task_failures_->Add({{"task", task}}).Increment();
}

std::string Metrics::Serialize() const {
  auto families = registry_->Collect();
  auto process = process_->Collect();
  families.insert(families.end(), std::make_move_iterator(process.begin()),
                  std::make_move_iterator(process.end()));
  return prometheus::TextSerializer{}.Serialize(families);
}

}  // namespace leadsync
