#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/log_fields.hpp"
#include "core/queue/inspection.hpp"

namespace leadsync {

// What the dispatcher's calls came to over some span of time, for the
// summary line an operator reads instead of one line per batch. Plain
// counts; CallLog adds to them on the loop thread.
struct CallActivity {
  std::int64_t calls_ok = 0;
  std::int64_t calls_refused = 0;  // rate-limit refusals: the records go back to pending
  std::int64_t calls_failed = 0;   // every other answer, or none (network, timeout)
  std::int64_t records_sent = 0;   // delivered
  std::int64_t records_dead_lettered = 0;

  [[nodiscard]] std::int64_t calls() const { return calls_ok + calls_refused + calls_failed; }
  [[nodiscard]] bool Idle() const { return calls() == 0 && records_dead_lettered == 0; }
};

// The backlog when a summary is written.
struct BacklogNow {
  std::int64_t pending = 0;
  std::optional<Duration> oldest_age;  // of the oldest pending record
};

// The backlog of every priority together, its age at `now`.
[[nodiscard]] BacklogNow TotalBacklog(const PriorityBacklogs& backlogs, TimePoint now);

// The summary of `window`: "last 60s: 12 calls (11 ok, 1 refused, 0
// failed), 275 records sent, 0 dead-lettered; pending 1200, oldest 3m".
[[nodiscard]] std::string DescribeActivity(const CallActivity& activity, const BacklogNow& backlog,
                                           Duration window);
// The same numbers as fields of a JSON log line.
[[nodiscard]] std::vector<LogField> ActivityFields(const CallActivity& activity, const BacklogNow& backlog,
                                                   Duration window);
// "45s", "3m", "2h", "4d": an age rounded down to its largest unit.
[[nodiscard]] std::string ShortAge(Duration age);

}  // namespace leadsync
