#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The one parser for the two kinds of network address leadsync reads: the
// API's URL (`leadsquared.api_host`) and a listening address (`metrics.listen`,
// a webhook's `listen`, `leadsync sandbox --listen`). Config validation and the
// code that connects or binds both use it, so one text is never accepted by
// one and refused by the other. It only looks at the text: nothing is
// resolved or connected. Built on Boost.URL (RFC 3986), with leadsync's own
// rules on top; errors are short phrases that never repeat the text.
// Its own leaf library, leadsync_address (Boost.URL only), which config/
// links to check addresses at load.
namespace leadsync::net {

// scheme://host[:port] with scheme http or https (any case), a host name
// (letters, digits, '-', '.', '_'), an IPv4 or a bracketed IPv6 address, an
// optional port 1..65535, and nothing else: no user info, path, query or
// fragment. One trailing '/' is accepted, as browsers show a bare host.
struct ApiHost {
  bool tls = true;
  std::string host;  // lower case; an IPv6 address without its brackets
  std::uint16_t port = 443;
  // "host[:port]" with the port only when it is not the scheme's default.
  [[nodiscard]] std::string Authority() const;
  bool operator==(const ApiHost&) const = default;
};

// HOST:PORT with HOST a name, IPv4 or [IPv6] address and PORT 0..65535 (0:
// any free port, chosen when binding).
struct ListenAddress {
  std::string host;  // as written, an IPv6 address without its brackets
  std::uint16_t port = 0;
  // "host:port", "[v6]:port".
  [[nodiscard]] std::string ToString() const;
  bool operator==(const ListenAddress&) const = default;
};

// nullopt with `error` set to what is wrong ("a path is not allowed").
[[nodiscard]] std::optional<ApiHost> ParseApiHost(std::string_view text, std::string* error = nullptr);
[[nodiscard]] std::optional<ListenAddress> ParseListen(std::string_view text, std::string* error = nullptr);

// Whether `host` (as ApiHost holds it: lower case, IPv6 without brackets)
// names this machine: localhost, 127.0.0.0/8, ::1 or ::ffff:127.x.y.z.
// Only the text is looked at: a name that resolves to loopback is not.
[[nodiscard]] bool IsLoopbackHost(std::string_view host);

// The same rules as checks for config validation: nullopt when `text` is
// fine, else what is wrong.
[[nodiscard]] std::optional<std::string> CheckApiHost(std::string_view text);
[[nodiscard]] std::optional<std::string> CheckListen(std::string_view text);

}  // namespace leadsync::net
