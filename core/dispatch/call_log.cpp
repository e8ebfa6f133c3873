#include "core/dispatch/call_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "core/dispatch/retry_reasons.hpp"
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

}  // namespace

void CallLog::Answered(std::size_t records, const ApiOutcome& outcome, TimePoint now) {
  metrics_.RecordRequest(CodeLabel(outcome), std::chrono::duration<double>(outcome.elapsed).count());
  metrics_.ObserveBatch(records);
  const bool transient = IsTransient(outcome.kind);
  // Repeated failures are summarised by api_failures_, not logged per retry.
  const auto level = transient ? spdlog::level::debug : spdlog::level::info;
  const std::string detail =
      outcome.kind == OutcomeKind::kOk || outcome.message.empty() ? "" : ": " + outcome.message;
  spdlog::log(level, "batch of {} records: {} in {} ms{}", records, CodeLabel(outcome),
              outcome.elapsed.count(), detail);
  if (transient) {
    api_failures_.Failed(CodeLabel(outcome) + detail, now);
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
  for (const DeadLetter& d : s.dead) {
    metrics_.RecordDeadLettered(d.reason, 1);
    spdlog::warn("dead-lettered record {} ({}): {}", d.id, d.reason, d.message);
  }
}

void CallLog::FoundUnreadable(std::int64_t rows) {
  if (rows > 0) metrics_.RecordDeadLettered(dead_letter::kUnreadable, static_cast<std::uint64_t>(rows));
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
