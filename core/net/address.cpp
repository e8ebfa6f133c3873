#include "core/net/address.hpp"

#include <algorithm>
#include <boost/url/authority_view.hpp>
#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <charconv>

// The one translation unit that compiles Boost.URL's implementation.
#include <boost/url/src.hpp>

namespace leadsync::net {
namespace {

namespace urls = boost::urls;

constexpr std::string_view kBadHost = "the host is missing or not a valid name or address";
constexpr std::string_view kExpectedHostPort = "expected HOST:PORT (an IPv6 address goes in brackets)";

struct PortRule {
  int min = 1;
  bool required = false;
};

struct HostPort {
  std::string host;
  std::optional<std::uint16_t> port;
};

template <class T>
std::optional<T> Fail(std::string* error, std::string_view why) {
  if (error != nullptr) *error = why;
  return std::nullopt;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

bool IsHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

std::string PortError(const PortRule& rule) {
  return "the port must be a number from " + std::to_string(rule.min) + " to 65535";
}

std::optional<std::uint16_t> ReadPort(std::string_view text, const PortRule& rule) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end || text.size() > 5 || value < static_cast<unsigned>(rule.min) ||
      value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// RFC 3986 allows more in a registered name (percent escapes, sub-delims,
// nothing at all) than a host a resolver can look up.
bool IsUsableHost(const urls::authority_view& authority) {
  switch (authority.host_type()) {
    case urls::host_type::ipv4:
    case urls::host_type::ipv6:
      return true;
    case urls::host_type::name: {
      const std::string_view host = authority.encoded_host();
      return !host.empty() && std::ranges::all_of(host, IsHostNameChar);
    }
    case urls::host_type::none:
    case urls::host_type::ipvfuture:
      return false;
  }
  return false;
}

// An authority Boost.URL has parsed, held to leadsync's rules.
std::optional<HostPort> ReadAuthority(const urls::authority_view& authority, const PortRule& rule,
                                      std::string* error) {
  if (authority.has_userinfo()) return Fail<HostPort>(error, "user info is not allowed");
  if (!IsUsableHost(authority)) return Fail<HostPort>(error, kBadHost);
  HostPort out{authority.host_address(), std::nullopt};
  if (!authority.has_port()) {
    if (rule.required) return Fail<HostPort>(error, "the port is missing (expected HOST:PORT)");
    return out;
  }
  out.port = ReadPort(authority.port(), rule);
  if (!out.port) return Fail<HostPort>(error, PortError(rule));
  return out;
}

// Boost.URL refused `text` as host[:port]: say which part is wrong.
std::string DiagnoseAuthority(std::string_view text, const PortRule& rule) {
  std::size_t host_end = 0;
  if (text.starts_with('[')) {
    host_end = text.find(']');
    if (host_end == std::string_view::npos) return std::string(kBadHost);
    ++host_end;
  } else {
    if (std::ranges::count(text, ':') > 1) return std::string(kExpectedHostPort);
    host_end = std::min(text.find(':'), text.size());
  }
  const std::string_view rest = text.substr(host_end);
  if (rest.empty()) return std::string(kBadHost);
  if (!rest.starts_with(':')) return std::string(kExpectedHostPort);
  if (!ReadPort(rest.substr(1), rule)) return PortError(rule);
  return std::string(kBadHost);
}

// Boost.URL refused a URL: name the first part that breaks the rules.
std::string DiagnoseUrl(std::string_view after_scheme) {
  if (after_scheme.ends_with('/')) after_scheme.remove_suffix(1);
  if (after_scheme.find('@') != std::string_view::npos) return "user info is not allowed";
  if (after_scheme.find('/') != std::string_view::npos) return "a path is not allowed";
  if (after_scheme.find('?') != std::string_view::npos) return "a query is not allowed";
  if (after_scheme.find('#') != std::string_view::npos) return "a fragment is not allowed";
  return DiagnoseAuthority(after_scheme, PortRule{});
}

}  // namespace

std::string ApiHost::Authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const std::uint16_t default_port = tls ? 443 : 80;
  if (port != default_port) out += ":" + std::to_string(port);
  return out;
}

std::string ListenAddress::ToString() const {
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return shown + ":" + std::to_string(port);
}

std::optional<ApiHost> ParseApiHost(std::string_view text, std::string* error) {
  const std::size_t separator = text.find("://");
  if (separator == std::string_view::npos) return Fail<ApiHost>(error, "expected scheme://host[:port]");
  const std::string scheme = Lower(text.substr(0, separator));
  if (scheme != "http" && scheme != "https") return Fail<ApiHost>(error, "the scheme must be http or https");
  const auto url = urls::parse_uri(text);
  if (!url) return Fail<ApiHost>(error, DiagnoseUrl(text.substr(separator + 3)));
  const std::string_view path = url->encoded_path();
  // Boost.URL reads "https://host:http" as a path where leadsync sees a bad port.
  if (!path.empty() && path != "/") return Fail<ApiHost>(error, DiagnoseUrl(text.substr(separator + 3)));
  if (url->has_query()) return Fail<ApiHost>(error, "a query is not allowed");
  if (url->has_fragment()) return Fail<ApiHost>(error, "a fragment is not allowed");
  const std::optional<HostPort> parts = ReadAuthority(url->authority(), PortRule{}, error);
  if (!parts) return std::nullopt;
  ApiHost out;
  out.tls = scheme == "https";
  out.host = Lower(parts->host);
  out.port = parts->port.value_or(out.tls ? 443 : 80);
  return out;
}

std::optional<ListenAddress> ParseListen(std::string_view text, std::string* error) {
  const PortRule rule{.min = 0, .required = true};
  const auto authority = urls::parse_authority(text);
  if (!authority) return Fail<ListenAddress>(error, DiagnoseAuthority(text, rule));
  const std::optional<HostPort> parts = ReadAuthority(*authority, rule, error);
  if (!parts) return std::nullopt;
  return ListenAddress{parts->host, *parts->port};
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  if (const auto v4 = urls::parse_ipv4_address(host)) return v4->is_loopback();
  const auto v6 = urls::parse_ipv6_address(host);
  if (!v6) return false;
  return v6->is_loopback() || (v6->is_v4_mapped() && v6->to_bytes()[12] == 127);
}

std::optional<std::string> CheckApiHost(std::string_view text) {
  std::string error;
  if (ParseApiHost(text, &error)) return std::nullopt;
  return error;
}

std::optional<std::string> CheckListen(std::string_view text) {
  std::string error;
  if (ParseListen(text, &error)) return std::nullopt;
  return error;
}

}  // namespace leadsync::net
