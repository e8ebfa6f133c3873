#include "core/http/endpoint.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace leadsync {
namespace {

std::optional<Endpoint> Fail(std::string* error, std::string why) {
  if (error != nullptr) *error = std::move(why);
  return std::nullopt;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

// Splits "host[:port]" or "[v6]:port"; the brackets of an IPv6 literal are dropped.
bool SplitAuthority(std::string_view authority, std::string_view& host, std::string_view& port) {
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(1, close - 1);
    const auto rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return false;
    port = rest.empty() ? rest : rest.substr(1);
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
  }
  const auto colon = authority.rfind(':');
  host = authority.substr(0, colon);
  port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
  return !host.empty() && std::all_of(host.begin(), host.end(), IsHostChar);
}

std::optional<std::uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

}  // namespace

std::string Endpoint::Authority() const {
  const bool bracket = host.find(':') != std::string::npos;
  std::string out = bracket ? "[" + host + "]" : host;
  const std::uint16_t default_port = tls ? 443 : 80;
  if (port != default_port) out += ":" + std::to_string(port);
  return out;
}

std::optional<Endpoint> ParseEndpoint(const std::string& url, std::string* error) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return Fail(error, "expected scheme://host[:port], got '" + url + "'");
  const std::string scheme = Lower(std::string_view(url).substr(0, scheme_end));
  if (scheme != "https" && scheme != "http")
    return Fail(error, "scheme must be http or https, got '" + scheme + "'");
  std::string_view authority = std::string_view(url).substr(scheme_end + 3);
  // A lone trailing slash is what people paste from a browser; any other path is an error.
  if (authority.ends_with('/')) authority.remove_suffix(1);
  if (authority.find_first_of("/?#@") != std::string_view::npos) {
    return Fail(error, "expected scheme://host[:port] without path, query or user, got '" + url + "'");
  }
  std::string_view host;
  std::string_view port_text;
  if (!SplitAuthority(authority, host, port_text)) return Fail(error, "bad host in '" + url + "'");
  Endpoint endpoint;
  endpoint.tls = scheme == "https";
  endpoint.host = Lower(host);
  endpoint.port = endpoint.tls ? 443 : 80;
  if (!port_text.empty() || authority.ends_with(':')) {
    const auto port = ParsePort(port_text);
    if (!port) return Fail(error, "bad port in '" + url + "'");
    endpoint.port = *port;
  }
  return endpoint;
}

}  // namespace leadsync
