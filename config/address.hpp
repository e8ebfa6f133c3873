#pragma once

#include <optional>
#include <string>
#include <string_view>

// Syntax checks for the two kinds of network address in the config file. They
// only look at the text: nothing is resolved or connected.
namespace leadsync::config {

// nullopt when `text` is scheme://host[:port] with scheme http or https, a
// host name, IPv4 or [IPv6] address, an optional port 1..65535 and nothing
// after it (no path, query or user info); otherwise what is wrong, as a phrase
// such as "a path is not allowed".
[[nodiscard]] std::optional<std::string> CheckApiHost(std::string_view text);

// nullopt when `text` is HOST:PORT (HOST a name, IPv4 or [IPv6] address; PORT
// 0..65535, 0 meaning any free port); otherwise what is wrong, as a phrase.
[[nodiscard]] std::optional<std::string> CheckListen(std::string_view text);

}  // namespace leadsync::config
