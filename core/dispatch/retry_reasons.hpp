#pragma once

#include <array>

// Why the dispatcher sends records again: the `reason` label of
// leadsync_retries_total (one per failed call, or per split). docs/metrics.md
// lists them and tests/docs/metrics_doc_test.cpp holds it to this list, so
// the dispatcher names every retry from here.
namespace leadsync::retry_reason {

inline constexpr const char* kRateLimited = "rate_limited";  // a refusal over the limit, any status
inline constexpr const char* kServerError = "server_error";  // 5xx without MX, another status, an odd 200
inline constexpr const char* kNetwork = "network";           // connection refused, reset or broken
inline constexpr const char* kTimeout = "timeout";           // request_timeout passed
inline constexpr const char* kSplit = "split";               // a batch halved after a data error
inline constexpr const char* kDataError = "data_error";      // a record alone after an MX exception

inline constexpr std::array kAll{kRateLimited, kServerError, kNetwork, kTimeout, kSplit, kDataError};

}  // namespace leadsync::retry_reason
