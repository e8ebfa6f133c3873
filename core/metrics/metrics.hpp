#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace leadsync {

class ProcessMetrics;

// Every metric leadsync exports (docs/metrics.md), behind typed methods so
// that no other file spells a metric name or a label. Owns its prometheus
// registry and the process_* collector; `Serialize()` renders both in the text
// exposition format that GET /metrics answers.
//
// Counters whose label values are known up front (one per configured source,
// delivered created/updated) exist at 0 from construction, so a rate() over
// them works from the first scrape.
//
// Label values are bounded sets chosen by the caller: a source name, an HTTP
// status or "network"/"timeout", a short reason class such as "no_key" or
// "MXDuplicateEntryException". Never pass a message, a file path, a lead key
// or a config value: labels are public, and each distinct value is a series.
//
// Thread-safety: every method may be called from any thread at any time
// (prometheus-cpp metrics are atomic and its families lock on Add). Not
// copyable or movable: metric handles point into the owned registry.
class Metrics final {
 public:
  explicit Metrics(const std::vector<std::string>& source_names);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Sources and ingest. A source added by a reload is declared so that its
  // counters, too, are exported at 0 from the start.
  void DeclareSource(const std::string& source);
  void RecordIngested(const std::string& source, std::uint64_t n);
  void RecordRejected(const std::string& source, const std::string& reason, std::uint64_t n);
  void RecordSourceError(const std::string& source);
  // leadsync_source_up{source}: 1 while the source runs, 0 while it is down
  // after a failure until its restart. Declared at 1.
  void SetSourceUp(const std::string& source, bool up);
  // Drops the source's up series (a reload stopped it; a kept source is
  // declared again).
  void ForgetSourceUp(const std::string& source);

  // Queue.
  void RecordCoalesced(std::uint64_t n);
  void SetDeadLetterRecords(double records);
  // A failed queue operation; `reason` is QueueFailureReason()'s label.
  void RecordQueueError(std::string_view reason);
  // Entries deleted for their age; `kind` is "dead_letter" or "history".
  void RecordPruned(std::string_view kind, std::uint64_t n);

  // Delivery outcomes: `created` picks result="created", else "updated".
  void RecordDelivered(bool created, std::uint64_t n);
  void RecordDeadLettered(const std::string& reason, std::uint64_t n);

  // One finished API call: leadsync_requests_total{code=code_label} and its
  // duration. `code_label` is CodeLabel(outcome): "200", "429", "network"...
  void RecordRequest(const std::string& code_label, double seconds);
  void ObserveBatch(std::size_t records);
  void RecordRetry(const std::string& reason);

  // The backlog by priority ("high", "normal", "low"): records pending or in
  // flight, the age of the oldest (0 when none), and how long they take at
  // the known limits (the series is removed while no forecast can be made).
  void SetQueuePending(std::string_view priority, double records);
  void SetQueueOldestAge(std::string_view priority, double seconds);
  void SetBacklogDrain(std::string_view priority, std::optional<double> seconds);
  // Per source: the age of its oldest record pending or in flight (0 when
  // none), and its priority as leadsync_source_info{source,priority} = 1 (a
  // new priority replaces the old series).
  void SetSourceLag(const std::string& source, double seconds);
  void SetSourcePriority(const std::string& source, std::string_view priority);

  // Dispatcher state.
  void AddRateLimitWait(double seconds);
  void SetInFlight(double requests);
  void SetPaused(bool paused);
  // Calls allowed per `rate_limit.per` window after adaptation.
  void SetRateLimitEffective(double calls);
  // One rate-limit window (configured or stated), labelled by its length
  // in whole seconds ("5s", "86400s"): calls started in it now, its limit.
  void SetRateLimitWindow(const std::string& window, double calls, double limit);

  // A connection an HTTP server dropped before it was done (an eviction, a
  // deadline), `reason` being net::DropReasonLabel's: the metrics
  // endpoint's when `source` is empty, else that webhook source's.
  void RecordConnectionDropped(const std::string& source, std::string_view reason);

  void RecordConfigReloadFailure();
  // One failure of a daemon task ("dispatcher", "housekeeping", ...).
  void RecordTaskFailure(const std::string& task);

  // The text exposition (format 0.0.4) of all leadsync_* and process_* metrics.
  [[nodiscard]] std::string Serialize() const;

 private:
  using CounterFamily = prometheus::Family<prometheus::Counter>;
  using GaugeFamily = prometheus::Family<prometheus::Gauge>;

  void RegisterIngestMetrics(const std::vector<std::string>& source_names);
  void RegisterQueueMetrics();
  void RegisterDeliveryMetrics();
  void RegisterDispatchMetrics();
  void RegisterServerMetrics();
  void RegisterCapacityMetrics();

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<ProcessMetrics> process_;

  CounterFamily* ingested_ = nullptr;
  CounterFamily* rejected_ = nullptr;
  CounterFamily* source_errors_ = nullptr;
  CounterFamily* dead_lettered_ = nullptr;
  CounterFamily* requests_ = nullptr;
  CounterFamily* retries_ = nullptr;
  CounterFamily* task_failures_ = nullptr;
  CounterFamily* queue_errors_ = nullptr;
  CounterFamily* pruned_ = nullptr;
  CounterFamily* connections_dropped_ = nullptr;
  prometheus::Counter* coalesced_ = nullptr;
  prometheus::Counter* delivered_created_ = nullptr;
  prometheus::Counter* delivered_updated_ = nullptr;
  prometheus::Counter* rate_limit_wait_ = nullptr;
  prometheus::Counter* config_reload_failures_ = nullptr;
  GaugeFamily* source_up_ = nullptr;
  GaugeFamily* queue_pending_ = nullptr;
  GaugeFamily* queue_oldest_age_ = nullptr;
  GaugeFamily* backlog_drain_ = nullptr;
  GaugeFamily* source_lag_ = nullptr;
  GaugeFamily* source_info_ = nullptr;
  prometheus::Gauge* dead_letter_records_ = nullptr;
  prometheus::Gauge* in_flight_ = nullptr;
  prometheus::Gauge* paused_ = nullptr;
  prometheus::Gauge* rate_limit_effective_ = nullptr;
  GaugeFamily* rate_limit_window_calls_ = nullptr;
  GaugeFamily* rate_limit_window_limit_ = nullptr;
  prometheus::Histogram* request_duration_ = nullptr;
  prometheus::Histogram* batch_records_ = nullptr;
};

}  // namespace leadsync
