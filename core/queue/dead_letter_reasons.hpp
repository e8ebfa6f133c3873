#pragma once

#include <array>

// Why an entry is in the dead-letter store: its `reason` column, shown by
// `leadsync dlq list`. Those the daemon moves there after queueing a record
// are also the `reason` label of leadsync_records_dead_lettered_total.
// docs/cli.md and docs/metrics.md list them; tests/docs/ hold the lists to
// these, so the code that dead-letters a record names its reason from here.
namespace leadsync::dead_letter {

inline constexpr const char* kBadRequest = "bad_request";    // a 400 (or 413) for a record alone
inline constexpr const char* kDataError = "data_error";      // an MX exception for a record alone
inline constexpr const char* kRejectedRow = "rejected_row";  // a 200 whose row has no LeadId
inline constexpr const char* kExpired = "expired";           // retry.max_record_age passed
inline constexpr const char* kUnreadable = "unreadable";     // a queue row that no longer decodes
inline constexpr const char* kRejected = "rejected";         // refused at ingest, never queued
inline constexpr const char* kSchema =
    "schema";  // refused at ingest by the account's schema (validate: reject)

// The values of leadsync_records_dead_lettered_total{reason}: every reason
// but kRejected and kSchema (counted in leadsync_records_rejected_total instead).
inline constexpr std::array kCounted{kBadRequest, kDataError, kRejectedRow, kExpired, kUnreadable};
// Every reason an entry can have.
inline constexpr std::array kAll{kBadRequest, kDataError, kRejectedRow, kExpired,
                                 kUnreadable, kRejected,  kSchema};

}  // namespace leadsync::dead_letter
