#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/lead.hpp"
#include "core/queue/dead_letter_reasons.hpp"
#include "core/queue/priority.hpp"

// What goes into the queue and what comes out of it: plain values shared by
// the Queue interface, the sources and the dispatcher.
namespace leadsync {

// A change a source hands over; `key` comes from LeadKey(), `priority` from
// the source's config (stamped with the source's name).
struct IncomingLead {
  std::string key;
  std::string source;
  Lead lead;
  Priority priority = Priority::kNormal;
};

// A record refused at ingest, kept in the dead-letter store.
struct Rejection {
  std::string source;
  std::string key;       // may be empty
  std::string location;  // "file:line"
  std::string reason;    // what is wrong, for people ("field X: ...")
  std::string record;    // the lead as API pairs, or the raw text
  // A short class of `reason` for leadsync_records_rejected_total{reason}:
  // "invalid_json", "no_key", "too_long", ... Never a message.
  std::string category = "bad_value";
};

// A source's position in its input, committed together with the records
// read up to it. `epoch` grows each time an operator moves the checkpoint
// (`leadsync source reset`), so that a source still reading from the old
// position cannot commit over the new one.
struct Checkpoint {
  std::optional<std::string> value;  // nullopt: from the source's beginning
  std::int64_t epoch = 0;
};

struct CheckpointUpdate {
  std::string source;
  std::string value;
  // Commit only if the stored epoch is still this one (the one the source
  // read its position under); nullopt commits unconditionally.
  std::optional<std::int64_t> expected_epoch{};
};

struct EnqueueResult {
  std::int64_t inserted = 0;
  std::int64_t coalesced = 0;
  std::int64_t rejected = 0;
  // The checkpoint had moved (a reset): nothing was committed, and the
  // source must start again from ReadCheckpoint().
  bool checkpoint_conflict = false;
};

// A record handed to the dispatcher. `record` is the stored API pair array,
// sent as is: a batch body is the records joined.
struct QueuedRecord {
  std::int64_t id = 0;
  std::string key;
  std::string source;
  std::string record;
  int attempts = 0;
  TimePoint first_seen;
  Priority priority = Priority::kNormal;
};

// What can be claimed now, for the batcher's linger decision.
struct Readiness {
  std::int64_t ready = 0;                    // claimable records, capped at the asked limit
  std::optional<TimePoint> oldest_ready;     // first_seen of the oldest claimable
  std::optional<TimePoint> next_not_before;  // when a backed-off record becomes claimable
};

}  // namespace leadsync
