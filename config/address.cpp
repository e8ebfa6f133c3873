#include "config/address.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace leadsync::config {
namespace {

struct HostPort {
  std::string_view host;
  std::optional<std::string_view> port;  // the text after ':', when there is one
};

bool IsHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

bool IsIpv6Char(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.'; }

bool IsValidHost(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return std::ranges::all_of(host.substr(1, host.size() - 2), IsIpv6Char);
  }
  return !host.empty() && std::ranges::all_of(host, IsHostNameChar);
}

bool IsValidPort(std::string_view port, int min) {
  int value = -1;
  const char* end = port.data() + port.size();
  const auto [stop, error] = std::from_chars(port.data(), end, value);
  return error == std::errc{} && stop == end && port.size() <= 5 && value >= min && value <= 65535;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port"; nullopt when a ':' is
// not where a port separator can be.
std::optional<HostPort> SplitHostPort(std::string_view text) {
  std::size_t host_end = 0;
  if (text.starts_with('[')) {
    host_end = text.find(']');
    if (host_end == std::string_view::npos) return std::nullopt;
    ++host_end;
  } else {
    host_end = std::min(text.find(':'), text.size());
  }
  const std::string_view rest = text.substr(host_end);
  if (rest.empty()) return HostPort{text, std::nullopt};
  if (rest.front() != ':' || rest.find(':', 1) != std::string_view::npos) return std::nullopt;
  return HostPort{text.substr(0, host_end), rest.substr(1)};
}

std::optional<std::string> CheckAuthority(std::string_view authority, bool port_required, int min_port) {
  const std::optional<HostPort> parts = SplitHostPort(authority);
  if (!parts) return "expected HOST:PORT (an IPv6 address goes in brackets)";
  if (!IsValidHost(parts->host)) return "the host is missing or not a valid name or address";
  if (!parts->port) {
    if (port_required) return "the port is missing (expected HOST:PORT)";
    return std::nullopt;
  }
  if (!IsValidPort(*parts->port, min_port)) {
    return "the port must be a number from " + std::to_string(min_port) + " to 65535";
  }
  return std::nullopt;
}

bool IsHttpScheme(std::string_view scheme) {
  std::string lower(scheme);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "http" || lower == "https";
}

}  // namespace

std::optional<std::string> CheckApiHost(std::string_view text) {
  const std::size_t separator = text.find("://");
  if (separator == std::string_view::npos) return "expected scheme://host[:port]";
  if (!IsHttpScheme(text.substr(0, separator))) return "the scheme must be http or https";
  const std::string_view authority = text.substr(separator + 3);
  if (authority.find_first_of("/?#") != std::string_view::npos) return "a path is not allowed";
  if (authority.find('@') != std::string_view::npos) return "user info is not allowed";
  return CheckAuthority(authority, /*port_required=*/false, /*min_port=*/1);
}

std::optional<std::string> CheckListen(std::string_view text) {
  return CheckAuthority(text, /*port_required=*/true, /*min_port=*/0);
}

}  // namespace leadsync::config
