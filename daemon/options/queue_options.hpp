#pragma once

#include "config/config.hpp"
#include "core/queue/queue.hpp"

namespace leadsync::daemon {

// The queue's options from the `queue:` section: the file, its sync mode,
// whether delivered records are journalled. The caller says how it opens
// the file (owner, read-only) and when.
[[nodiscard]] QueueOptions QueueOptionsFrom(const config::Queue& settings);

}  // namespace leadsync::daemon
