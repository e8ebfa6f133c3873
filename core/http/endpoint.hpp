#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/net/address.hpp"

namespace leadsync {

// api_host as the HTTP client uses it: "https://api-in21.leadsquared.com" or
// "http://127.0.0.1:8080". The parser is the one config validation checks
// with (core/net/address.hpp), so a URL that `leadsync check` accepts is the
// URL the daemon connects to.
using Endpoint = net::ApiHost;

// nullopt with `error` set for anything but scheme://host[:port][/].
[[nodiscard]] inline std::optional<Endpoint> ParseEndpoint(std::string_view url,
                                                           std::string* error = nullptr) {
  return net::ParseApiHost(url, error);
}

}  // namespace leadsync
