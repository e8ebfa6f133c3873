#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/queue/records.hpp"

// What the inspection commands (queue stats, dlq list, history) read.
namespace leadsync {

struct SourceState {
  std::string checkpoint;
  std::int64_t ingested = 0;
};

// The records of one priority, pending or in flight.
struct PriorityBacklog {
  std::int64_t records = 0;
  std::optional<TimePoint> oldest;  // first_seen of its oldest record
};
// Indexed by PriorityValue().
using PriorityBacklogs = std::array<PriorityBacklog, 3>;

struct QueueStats {
  std::int64_t pending = 0;
  std::int64_t in_flight = 0;
  std::int64_t dead_letter = 0;
  std::optional<TimePoint> oldest;
  std::map<std::string, SourceState> sources;
  PriorityBacklogs priorities{};
};

struct DeadLetterEntry {
  std::int64_t id = 0;
  std::string key;
  std::string source;
  std::string reason;
  std::optional<int> status;
  std::string exception_type;
  std::string message;
  int attempts = 0;
  TimePoint first_seen;
  TimePoint dead_lettered_at;
  std::string record;
  Priority priority = Priority::kNormal;  // the record's, kept for a replay
};

struct HistoryEntry {
  TimePoint at;
  int status = 0;
  std::string lead_id;
  bool created = false;
  bool updated = false;
  std::string attributes;  // the pairs sent, JSON
  std::string message;     // why a record was refused, when it was
};

}  // namespace leadsync
