#include "core/metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.hpp"

namespace leadsync {
namespace {

// The value of the sample line that starts with `series` (name and labels
// exactly as exposed), or nullopt when there is no such line.
std::optional<double> Sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// The name before each `="` of the exposition: every label name used.
std::vector<std::string> LabelNames(const std::string& text) {
  std::vector<std::string> names;
  for (auto end = text.find("=\""); end != std::string::npos; end = text.find("=\"", end + 2)) {
    auto begin = end;
    while (begin > 0 && IsNameChar(text[begin - 1])) --begin;
    names.push_back(text.substr(begin, end - begin));
  }
  return names;
}

// Calls every method once, so that every family has at least one series.
void ExerciseAll(Metrics& metrics) {
  metrics.RecordIngested("signups", 3);
  metrics.RecordRejected("signups", "no_key", 1);
  metrics.RecordSourceError("crm");
  metrics.RecordCoalesced(2);
  metrics.SetQueuePending("high", 42);
  metrics.SetQueueOldestAge("high", 1.5);
  metrics.SetBacklogDrain("low", 100);
  metrics.SetSourceLag("signups", 2);
  metrics.SetSourcePriority("signups", "high");
  metrics.SetDeadLetterRecords(1);
  metrics.RecordDelivered(true, 2);
  metrics.RecordDeadLettered("MXDuplicateEntryException", 1);
  metrics.RecordRequest("200", 0.3);
  metrics.RecordRequest("network", 0.01);
  metrics.ObserveBatch(25);
  metrics.RecordRetry("429");
  metrics.AddRateLimitWait(0.2);
  metrics.SetInFlight(3);
  metrics.SetPaused(false);
  metrics.SetRateLimitEffective(25);
  metrics.RecordConfigReloadFailure();
  metrics.RecordTaskFailure("dispatcher");
  metrics.RecordPruned("dead_letter", 2);
  metrics.RecordConnectionDropped("", "evicted");
  metrics.RecordConnectionDropped("signups", "write_timeout");
}

TEST(Metrics, ExportsEveryContractMetricWithItsType) {
  Metrics metrics({"signups"});
  ExerciseAll(metrics);
  const std::string text = metrics.Serialize();
  const std::vector<std::pair<std::string, std::string>> contract = {
      {"leadsync_records_ingested_total", "counter"},
      {"leadsync_records_rejected_total", "counter"},
      {"leadsync_records_coalesced_total", "counter"},
      {"leadsync_queue_pending", "gauge"},
      {"leadsync_queue_oldest_age_seconds", "gauge"},
      {"leadsync_backlog_drain_seconds", "gauge"},
      {"leadsync_source_lag_seconds", "gauge"},
      {"leadsync_source_info", "gauge"},
      {"leadsync_records_delivered_total", "counter"},
      {"leadsync_records_dead_lettered_total", "counter"},
      {"leadsync_dead_letter_records", "gauge"},
      {"leadsync_records_pruned_total", "counter"},
      {"leadsync_requests_total", "counter"},
      {"leadsync_request_duration_seconds", "histogram"},
      {"leadsync_batch_records", "histogram"},
      {"leadsync_retries_total", "counter"},
      {"leadsync_rate_limit_wait_seconds_total", "counter"},
      {"leadsync_in_flight_requests", "gauge"},
      {"leadsync_dispatch_paused", "gauge"},
      {"leadsync_rate_limit_effective", "gauge"},
      {"leadsync_config_reload_failures_total", "counter"},
      {"leadsync_source_errors_total", "counter"},
      {"leadsync_build_info", "gauge"},
      {"leadsync_task_failures_total", "counter"},
      {"leadsync_http_connections_dropped_total", "counter"},
  };
  for (const auto& [name, type] : contract) {
    EXPECT_NE(text.find("# TYPE " + name + " " + type + "\n"), std::string::npos) << name;
    EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos) << name;
  }
}

TEST(Metrics, StartsKnownCountersAtZero) {
  const std::string text = Metrics({"signups", "crm"}).Serialize();
  for (const std::string source : {"signups", "crm"}) {
    EXPECT_EQ(Sample(text, "leadsync_records_ingested_total{source=\"" + source + "\"}"), 0.0) << source;
    EXPECT_EQ(Sample(text, "leadsync_source_errors_total{source=\"" + source + "\"}"), 0.0) << source;
  }
  EXPECT_EQ(Sample(text, "leadsync_records_delivered_total{result=\"created\"}"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_records_delivered_total{result=\"updated\"}"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_records_coalesced_total"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_config_reload_failures_total"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_rate_limit_wait_seconds_total"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_dispatch_paused"), 0.0);
  for (const std::string reason : {"evicted", "full", "read_timeout", "write_timeout"}) {
    EXPECT_EQ(
        Sample(text, "leadsync_http_connections_dropped_total{reason=\"" + reason + "\",server=\"metrics\"}"),
        0.0)
        << reason;
  }
}

// The metrics endpoint's drops, and a webhook's under its source name.
TEST(Metrics, CountsDroppedConnectionsByServer) {
  Metrics metrics({"forms"});
  metrics.RecordConnectionDropped("", "evicted");
  metrics.RecordConnectionDropped("", "evicted");
  metrics.RecordConnectionDropped("forms", "evicted");
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Sample(text, "leadsync_http_connections_dropped_total{reason=\"evicted\",server=\"metrics\"}"),
            2.0);
  EXPECT_EQ(Sample(text,
                   "leadsync_http_connections_dropped_total{reason=\"evicted\",server=\"webhook\","
                   "source=\"forms\"}"),
            1.0);
}

TEST(Metrics, CountsWhatItIsTold) {
  Metrics metrics({"crm"});
  metrics.RecordIngested("crm", 3);
  metrics.RecordIngested("crm", 4);
  metrics.RecordRejected("crm", "no_key", 2);
  metrics.RecordDelivered(true, 5);
  metrics.RecordDelivered(false, 1);
  metrics.RecordDeadLettered("400", 1);
  metrics.RecordRetry("timeout");
  metrics.RecordRetry("timeout");
  metrics.AddRateLimitWait(0.25);
  metrics.AddRateLimitWait(0.5);
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Sample(text, "leadsync_records_ingested_total{source=\"crm\"}"), 7.0);
  EXPECT_EQ(Sample(text, "leadsync_records_rejected_total{reason=\"no_key\",source=\"crm\"}"), 2.0);
  EXPECT_EQ(Sample(text, "leadsync_records_delivered_total{result=\"created\"}"), 5.0);
  EXPECT_EQ(Sample(text, "leadsync_records_delivered_total{result=\"updated\"}"), 1.0);
  EXPECT_EQ(Sample(text, "leadsync_records_dead_lettered_total{reason=\"400\"}"), 1.0);
  EXPECT_EQ(Sample(text, "leadsync_retries_total{reason=\"timeout\"}"), 2.0);
  EXPECT_EQ(Sample(text, "leadsync_rate_limit_wait_seconds_total"), 0.75);
}

TEST(Metrics, RecordsRequestCodeAndDurationTogether) {
  Metrics metrics({});
  metrics.RecordRequest("429", 0.3);
  metrics.RecordRequest("timeout", 30);
  metrics.ObserveBatch(25);
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Sample(text, "leadsync_requests_total{code=\"429\"}"), 1.0);
  EXPECT_EQ(Sample(text, "leadsync_requests_total{code=\"timeout\"}"), 1.0);
  EXPECT_EQ(Sample(text, "leadsync_request_duration_seconds_count"), 2.0);
  EXPECT_EQ(Sample(text, "leadsync_request_duration_seconds_bucket{le=\"0.25\"}"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_request_duration_seconds_bucket{le=\"0.5\"}"), 1.0);
  EXPECT_EQ(Sample(text, "leadsync_request_duration_seconds_bucket{le=\"30\"}"), 2.0);
  EXPECT_EQ(Sample(text, "leadsync_batch_records_bucket{le=\"20\"}"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_batch_records_bucket{le=\"25\"}"), 1.0);
}

TEST(Metrics, SetsGauges) {
  Metrics metrics({});
  metrics.SetQueuePending("low", 1200);
  metrics.SetQueueOldestAge("low", 61.5);
  metrics.SetDeadLetterRecords(3);
  metrics.SetInFlight(8);
  metrics.SetPaused(true);
  metrics.SetRateLimitEffective(12);
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Sample(text, "leadsync_queue_pending{priority=\"low\"}"), 1200.0);
  EXPECT_EQ(Sample(text, "leadsync_queue_pending{priority=\"high\"}"), 0.0);
  EXPECT_EQ(Sample(text, "leadsync_queue_oldest_age_seconds{priority=\"low\"}"), 61.5);
  EXPECT_EQ(Sample(text, "leadsync_dead_letter_records"), 3.0);
  EXPECT_EQ(Sample(text, "leadsync_in_flight_requests"), 8.0);
  EXPECT_EQ(Sample(text, "leadsync_dispatch_paused"), 1.0);
  EXPECT_EQ(Sample(text, "leadsync_rate_limit_effective"), 12.0);
}

TEST(Metrics, CapacityGaugesFollowThePriorityAndTheForecast) {
  Metrics metrics({"signups"});
  EXPECT_EQ(Sample(metrics.Serialize(), "leadsync_source_lag_seconds{source=\"signups\"}"), 0.0);
  metrics.SetSourcePriority("signups", "normal");
  metrics.SetSourcePriority("signups", "high");
  metrics.SetBacklogDrain("low", 4000);
  std::string text = metrics.Serialize();
  EXPECT_EQ(Sample(text, "leadsync_source_info{priority=\"high\",source=\"signups\"}"), 1.0);
  EXPECT_FALSE(Sample(text, "leadsync_source_info{priority=\"normal\",source=\"signups\"}"))
      << "the old priority's series is gone";
  EXPECT_EQ(Sample(text, "leadsync_backlog_drain_seconds{priority=\"low\"}"), 4000.0);
  metrics.SetBacklogDrain("low", std::nullopt);
  EXPECT_FALSE(Sample(metrics.Serialize(), "leadsync_backlog_drain_seconds{priority=\"low\"}"));
}

TEST(Metrics, NamesTheBuildVersion) {
  const std::string text = Metrics({}).Serialize();
#ifdef LEADSYNC_VERSION
  EXPECT_EQ(Sample(text, "leadsync_build_info{version=\"" LEADSYNC_VERSION "\"}"), 1.0) << text;
#else
  EXPECT_EQ(Sample(text, "leadsync_build_info{version=\"dev\"}"), 1.0) << text;
#endif
}

// Labels are public: only the contract's label names may appear, so no
// config value (keys, DSNs, tokens) can leak through one.
TEST(Metrics, ExposesOnlyContractLabels) {
  Metrics metrics({"signups", "crm"});
  ExerciseAll(metrics);
  const std::string text = metrics.Serialize();
  const std::set<std::string> allowed = {"source", "reason", "result", "code", "version",
                                         "le",     "task",   "server", "kind", "priority"};
  for (const std::string& name : LabelNames(text)) EXPECT_TRUE(allowed.contains(name)) << name;
}

TEST(Metrics, ExportsProcessMetrics) {
  const std::string text = Metrics({}).Serialize();
  EXPECT_GT(Sample(text, "process_resident_memory_bytes").value_or(0), 0);
  EXPECT_GT(Sample(text, "process_virtual_memory_bytes").value_or(0), 0);
  EXPECT_GE(Sample(text, "process_cpu_seconds_total").value_or(-1), 0);
  EXPECT_GT(Sample(text, "process_open_fds").value_or(0), 0);
  EXPECT_GT(Sample(text, "process_max_fds").value_or(0), 0);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double start = Sample(text, "process_start_time_seconds").value_or(0);
  EXPECT_LE(start, now + 1);
  EXPECT_GT(start, now - 24 * 3600);
}

TEST(Metrics, CountsCorrectlyFromManyThreads) {
  Metrics metrics({"signups"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) {
        metrics.RecordIngested("signups", 1);
        metrics.RecordRequest("200", 0.1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Sample(text, "leadsync_records_ingested_total{source=\"signups\"}"), 4000.0);
  EXPECT_EQ(Sample(text, "leadsync_request_duration_seconds_count"), 4000.0);
}

TEST(Metrics, ScrapePassesPromtoolLint) {
  Metrics metrics({"signups", "crm"});
  ExerciseAll(metrics);
  const auto result = testing::Run({"/usr/bin/promtool", "check", "metrics"}, metrics.Serialize());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out + result.err, "");
}

}  // namespace
}  // namespace leadsync
