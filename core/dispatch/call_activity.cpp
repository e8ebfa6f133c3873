#include "core/dispatch/call_activity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace leadsync {
namespace {

std::int64_t Seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

}  // namespace

BacklogNow TotalBacklog(const PriorityBacklogs& backlogs, TimePoint now) {
  BacklogNow total;
  std::optional<TimePoint> oldest;
  for (const PriorityBacklog& b : backlogs) {
    total.pending += b.records;
    if (b.oldest && (!oldest || *b.oldest < *oldest)) oldest = b.oldest;
  }
  if (oldest) total.oldest_age = std::max(Duration{0}, std::chrono::duration_cast<Duration>(now - *oldest));
  return total;
}

std::string ShortAge(Duration age) {
  const std::int64_t seconds = std::max<std::int64_t>(0, Seconds(age));
  if (seconds >= 86400) return fmt::format("{}d", seconds / 86400);
  if (seconds >= 3600) return fmt::format("{}h", seconds / 3600);
  if (seconds >= 60) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

std::string DescribeActivity(const CallActivity& a, const BacklogNow& backlog, Duration window) {
  std::string text = fmt::format(
      "last {}s: {} calls ({} ok, {} refused, {} failed), {} records sent, {} dead-lettered; pending {}",
      Seconds(window), a.calls(), a.calls_ok, a.calls_refused, a.calls_failed, a.records_sent,
      a.records_dead_lettered, backlog.pending);
  if (backlog.oldest_age) text += ", oldest " + ShortAge(*backlog.oldest_age);
  return text;
}

std::vector<LogField> ActivityFields(const CallActivity& a, const BacklogNow& backlog, Duration window) {
  std::vector<LogField> fields{
      {"window_s", Seconds(window)},      {"calls_ok", a.calls_ok},
      {"calls_refused", a.calls_refused}, {"calls_failed", a.calls_failed},
      {"records_sent", a.records_sent},   {"records_dead_lettered", a.records_dead_lettered},
      {"pending", backlog.pending}};
  if (backlog.oldest_age) fields.push_back({"oldest_age_s", Seconds(*backlog.oldest_age)});
  return fields;
}

}  // namespace leadsync
