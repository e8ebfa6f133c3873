#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace leadsync {

// api_host parsed: "https://api-in21.leadsquared.com" or "http://127.0.0.1:8080".
struct Endpoint {
  bool tls = true;
  std::string host;
  std::uint16_t port = 443;
  // "host[:port]" with the port only when not the scheme's default.
  [[nodiscard]] std::string Authority() const;
};

// nullopt with `error` set for anything but scheme://host[:port] (no path).
[[nodiscard]] std::optional<Endpoint> ParseEndpoint(const std::string& url, std::string* error = nullptr);

}  // namespace leadsync
