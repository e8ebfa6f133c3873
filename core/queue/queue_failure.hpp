#pragma once

#include <exception>
#include <string_view>

namespace leadsync {

// Why a queue operation failed, as a metric label: "disk_full" (the
// filesystem is full), "damaged" (the file is corrupt), "busy" (another
// process held a lock too long), "io" (a read or write failed), or "other".
// Empty for an exception that did not come from the queue (the work around
// the queue call threw).
[[nodiscard]] std::string_view QueueFailureReason(const std::exception& e);

}  // namespace leadsync
