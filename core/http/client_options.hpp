#pragma once

#include "config/config.hpp"
#include "core/http/leadsquared_client.hpp"

namespace leadsync {

// The client settings of a `leadsquared:` section. Throws
// std::invalid_argument for an api_host that is not scheme://host[:port].
[[nodiscard]] ClientOptions ClientOptionsFrom(const config::LeadSquared& settings);

}  // namespace leadsync
