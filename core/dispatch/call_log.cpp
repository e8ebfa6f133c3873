#include "core/dispatch/call_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "core/dispatch/retry_reasons.hpp"
#include "core/log_fields.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/records.hpp"

namespace leadsync {
namespace {

const char* RetryReason(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kRateLimited:
      return retry_reason::kRateLimited;
    case OutcomeKind::kNetwork:
      return retry_reason::kNetwork;
    case OutcomeKind::kTimeout:
      return retry_reason::kTimeout;
    case OutcomeKind::kDataError:
      return retry_reason::kDataError;
    case OutcomeKind::kOk:
    case OutcomeKind::kTransient:
    case OutcomeKind::kAuth:
    case OutcomeKind::kNotFound:
      return retry_reason::kServerError;
  }
  return retry_reason::kServerError;
}

bool IsTransient(OutcomeKind kind) {
  return kind == OutcomeKind::kTransient || kind == OutcomeKind::kNetwork || kind == OutcomeKind::kTimeout ||
         kind == OutcomeKind::kRateLimited;
}

std::int64_t Seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

// The sources a batch carried, in the order first met: "signups" or
// "signups,crm" (a batch mixes sources by priority).
std::string SourcesOf(std::span<const QueuedRecord> records) {
  std::vector<std::string_view> seen;
  std::string sources;
  for (const QueuedRecord& r : records) {
    if (std::find(seen.begin(), seen.end(), r.source) != seen.end()) continue;
    seen.push_back(r.source);
    sources += (sources.empty() ? "" : ",") + r.source;
  }
  return sources;
}

void Count(CallActivity& activity, OutcomeKind kind) {
  if (kind == OutcomeKind::kOk) {
    ++activity.calls_ok;
  } else if (kind == OutcomeKind::kRateLimited) {
    ++activity.calls_refused;
  } else {
    ++activity.calls_failed;
  }
}

}  // namespace

void CallLog::Answered(std::span<const QueuedRecord> records, const ApiOutcome& outcome, TimePoint now) {
  const std::string status = CodeLabel(outcome);
  metrics_.RecordRequest(status, std::chrono::duration<double>(outcome.elapsed).count());
  metrics_.ObserveBatch(records.size());
  Count(activity_, outcome.kind);
  const bool transient = IsTransient(outcome.kind);
  const std::string detail =
      outcome.kind == OutcomeKind::kOk || outcome.message.empty() ? "" : ": " + outcome.message;
  // One line a batch is for debugging; at info the per-minute summary counts
  // them (up to ~430 000 batches a day at 25 calls in 5 s).
  LogWithFields(spdlog::level::debug,
                {{"source", SourcesOf(records)},
                 {"records", static_cast<std::int64_t>(records.size())},
                 {"status", status},
                 {"duration_ms", static_cast<std::int64_t>(outcome.elapsed.count())}},
                fmt::format("batch of {} records: {} in {} ms{}", records.size(), status,
                            outcome.elapsed.count(), detail));
  if (transient) {
    api_failures_.Failed(status + detail, now);
  } else if (outcome.kind == OutcomeKind::kOk) {
    api_failures_.Succeeded(now);
  }
}

void CallLog::Retried(OutcomeKind kind) { metrics_.RecordRetry(RetryReason(kind)); }

void CallLog::RetriedAsHalves() { metrics_.RecordRetry(retry_reason::kSplit); }

void CallLog::Finished(const Settlement& s) {
  std::uint64_t created = 0;
  for (const Delivered& d : s.delivered) created += d.row.created ? 1 : 0;
  metrics_.RecordDelivered(true, created);
  metrics_.RecordDelivered(false, s.delivered.size() - created);
  activity_.records_sent += static_cast<std::int64_t>(s.delivered.size());
  activity_.records_dead_lettered += static_cast<std::int64_t>(s.dead.size());
  for (const DeadLetter& d : s.dead) {
    metrics_.RecordDeadLettered(d.reason, 1);
    spdlog::warn("dead-lettered record {} ({}): {}", d.id, d.reason, d.message);
  }
}

void CallLog::FoundUnreadable(std::int64_t rows) {
  if (rows <= 0) return;
  metrics_.RecordDeadLettered(dead_letter::kUnreadable, static_cast<std::uint64_t>(rows));
  activity_.records_dead_lettered += rows;
}

void CallLog::Learned(const StatedLimit& stated, const std::vector<RateWindow>& configured) {
  const auto window = std::find_if(configured.begin(), configured.end(),
                                   [&](const RateWindow& w) { return w.per == stated.per; });
  const bool above = window != configured.end() && window->requests > stated.calls;
  const std::string advice =
      above
          ? fmt::format(
                " (leadsquared.rate_limit has {} per {} s: set that window to {{ requests: {}, per: {}s }})",
                window->requests, Seconds(window->per), stated.calls, Seconds(stated.per))
          : std::string();
  spdlog::warn(
      "LeadSquared states the account's limit as {} calls in {} s; dispatching within it from now on{}",
      stated.calls, Seconds(stated.per), advice);
}

void CallLog::WindowFull(const WindowUse& window, TimePoint now) {
  if (now < full_until_) return;
  full_until_ = window.next_free;
  const auto wait = std::chrono::duration_cast<std::chrono::seconds>(window.next_free - now);
  spdlog::warn(
      "the {} s rate-limit window is full ({} of {} calls); the next call starts at {:%Y-%m-%d %H:%M:%S} "
      "UTC, in {} s. Waiting, nothing is dropped",
      Seconds(window.per), window.calls, window.limit,
      std::chrono::time_point_cast<std::chrono::seconds>(window.next_free), wait.count());
}

}  // namespace leadsync
