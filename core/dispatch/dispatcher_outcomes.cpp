// How the Dispatcher settles each kind of outcome; see dispatcher.hpp.
#include <spdlog/spdlog.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/codec/api_body.hpp"
#include "core/dispatch/delivery_policy.hpp"
#include "core/dispatch/dispatcher.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/queue_service.hpp"

namespace leadsync {
namespace asio = boost::asio;

namespace {

constexpr int kAloneDataErrorTries = 3;

std::string Body(const std::vector<QueuedRecord>& records) {
  std::vector<std::string> texts;
  texts.reserve(records.size());
  for (const QueuedRecord& r : records) texts.push_back(r.record);
  return JoinRecords(texts);
}

const char* RetryReason(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kRateLimited:
      return "rate_limited";
    case OutcomeKind::kNetwork:
      return "network";
    case OutcomeKind::kTimeout:
      return "timeout";
    case OutcomeKind::kDataError:
      return "data_error";
    default:
      return "server_error";
  }
}

}  // namespace

asio::awaitable<void> Dispatcher::Deliver(Records records, LeadSquaredClient& client,
                                          std::optional<TimePoint> reserved, int alone_failures) {
  if (!reserved && !stopping_) reserved = co_await AcquireSlot();
  if (!reserved) {
    co_await Settle(SettleReleased(records, ApiOutcome{}, Now()));
    co_return;
  }
  std::string body = Body(records);
  const TimePoint sent = Now();
  limiter_.Restamp(*reserved, sent);
  ApiOutcome outcome = co_await client.SendBatch(std::move(body));
  Observe(records, outcome);
  const TimePoint now = Now();
  switch (outcome.kind) {
    case OutcomeKind::kOk:
      limiter_.OnAccepted(sent, now);
      if (paused_) Resume();
      co_await Settle(SettleAccepted(records, outcome, now, backoff_));
      break;
    case OutcomeKind::kRateLimited:
      limiter_.OnThrottled(now, outcome.retry_after);
      metrics_.SetRateLimitEffective(limiter_.EffectiveLimit());
      metrics_.RecordRetry(RetryReason(outcome.kind));
      co_await Settle(SettleReleased(records, outcome, now));
      break;
    case OutcomeKind::kAuth:
    case OutcomeKind::kNotFound:
      Pause(outcome);
      co_await Settle(SettleReleased(records, outcome, now));
      break;
    case OutcomeKind::kDataError:
      co_await HandleDataError(std::move(records), outcome, client, alone_failures);
      break;
    default:
      if (stopping_) {
        co_await Settle(SettleReleased(records, outcome, now));
        break;
      }
      metrics_.RecordRetry(RetryReason(outcome.kind));
      co_await Settle(SettleTransient(records, outcome, now, backoff_, {settings_.retry.max_record_age}));
  }
}

// Halve until the offending records stand alone: 25 records cost at most ten
// extra calls to isolate one. A record alone is dead-lettered at once on a
// 400; an MX 500 may be a transient fault wearing an MX name, so it gets
// kAloneDataErrorTries with backoff first.
asio::awaitable<void> Dispatcher::HandleDataError(Records records, const ApiOutcome& outcome,
                                                  LeadSquaredClient& client, int alone_failures) {
  if (records.size() > 1) {
    metrics_.RecordRetry("split");
    const auto half = static_cast<std::ptrdiff_t>((records.size() + 1) / 2);
    Records second(records.begin() + half, records.end());
    records.resize(static_cast<std::size_t>(half));
    co_await Deliver(std::move(records), client, std::nullopt, 0);
    co_await Deliver(std::move(second), client, std::nullopt, 0);
    co_return;
  }
  const bool mx_500 = outcome.status >= 500;
  if (mx_500 && alone_failures + 1 < kAloneDataErrorTries && !stopping_) {
    metrics_.RecordRetry(RetryReason(outcome.kind));
    asio::system_timer timer(executor_, backoff_.Delay(alone_failures + 1));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_await Deliver(std::move(records), client, std::nullopt, alone_failures + 1);
    co_return;
  }
  if (stopping_ && mx_500) {
    co_await Settle(SettleReleased(records, outcome, Now()));
    co_return;
  }
  co_await Settle(SettleDead(records, outcome, Now(), mx_500 ? kReasonDataError : kReasonBadRequest));
}

asio::awaitable<void> Dispatcher::Settle(Settlement settlement) {
  co_await queue_.Submit([&](Queue& q) { q.ApplySettlement(settlement); });
  Account(settlement);
}

void Dispatcher::Account(const Settlement& s) {
  std::uint64_t created = 0;
  for (const Delivered& d : s.delivered) created += d.row.created ? 1 : 0;
  metrics_.RecordDelivered(true, created);
  metrics_.RecordDelivered(false, s.delivered.size() - created);
  for (const DeadLetter& d : s.dead) {
    metrics_.RecordDeadLettered(d.reason, 1);
    spdlog::warn("dead-lettered record {} ({}): {}", d.id, d.reason, d.message);
  }
}

void Dispatcher::Observe(const Records& records, const ApiOutcome& outcome) {
  const double seconds = std::chrono::duration<double>(outcome.elapsed).count();
  metrics_.RecordRequest(CodeLabel(outcome), seconds);
  metrics_.ObserveBatch(records.size());
  const bool transient = outcome.kind == OutcomeKind::kTransient || outcome.kind == OutcomeKind::kNetwork ||
                         outcome.kind == OutcomeKind::kTimeout || outcome.kind == OutcomeKind::kRateLimited;
  // Repeated failures are summarised by api_failures_, not logged per retry.
  const auto level = transient ? spdlog::level::debug : spdlog::level::info;
  const std::string detail =
      outcome.kind == OutcomeKind::kOk || outcome.message.empty() ? "" : ": " + outcome.message;
  spdlog::log(level, "batch of {} records: {} in {} ms{}", records.size(), CodeLabel(outcome),
              outcome.elapsed.count(), detail);
  if (transient) {
    api_failures_.Failed(CodeLabel(outcome) + (outcome.message.empty() ? "" : ": " + outcome.message), Now());
  } else if (outcome.kind == OutcomeKind::kOk) {
    api_failures_.Succeeded(Now());
  }
}

void Dispatcher::Pause(const ApiOutcome& outcome) {
  next_probe_ = Now() + settings_.pause_probe;
  if (paused_) return;
  paused_ = true;
  metrics_.SetPaused(true);
  spdlog::error(
      "dispatch paused: the API answered {} ({}); check leadsquared.access_key, secret_key and api_host, "
      "then reload (SIGHUP). Probing again every {} s; nothing is dropped meanwhile",
      outcome.status, outcome.message,
      std::chrono::duration_cast<std::chrono::seconds>(settings_.pause_probe).count());
}

void Dispatcher::Resume() {
  paused_ = false;
  metrics_.SetPaused(false);
  spdlog::info("dispatch resumed");
  Notify();
}

}  // namespace leadsync
