#pragma once

#include "config/config.hpp"
#include "core/http/client_options.hpp"

namespace leadsync::daemon {

// The LeadSquared client's options from the `leadsquared:` section: the
// address, the keys and where they go, the deadline, the TLS check. Throws
// std::invalid_argument for an api_host that is not scheme://host[:port]
// (config validation refuses it first).
[[nodiscard]] ClientOptions ClientOptionsFrom(const config::LeadSquared& settings);

}  // namespace leadsync::daemon
