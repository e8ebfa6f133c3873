#pragma once

#include "config/config.hpp"
#include "core/dispatch/dispatcher_options.hpp"

namespace leadsync::daemon {

// The Dispatcher's options from the `leadsquared:` section (the API's
// address and keys go to the BulkApi, not here).
[[nodiscard]] DispatcherOptions DispatcherOptionsFrom(const config::LeadSquared& settings);

}  // namespace leadsync::daemon
