// The one address parser: what config validation accepts is what the client
// connects to and what the servers bind (core/http/endpoint.hpp and
// core/net/listener.hpp use it; config/ checks with it).
#include "core/net/address.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace leadsync::net {
namespace {

TEST(AddressApiHost, ReadsHttpsHostWithDefaultPort) {
  const auto parsed = ParseApiHost("https://api-in21.leadsquared.com");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->tls);
  EXPECT_EQ(parsed->host, "api-in21.leadsquared.com");
  EXPECT_EQ(parsed->port, 443);
  EXPECT_EQ(parsed->Authority(), "api-in21.leadsquared.com");
}

TEST(AddressApiHost, ReadsPlainHttpWithPort) {
  const auto parsed = ParseApiHost("http://127.0.0.1:8080");
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->tls);
  EXPECT_EQ(parsed->host, "127.0.0.1");
  EXPECT_EQ(parsed->port, 8080);
  EXPECT_EQ(parsed->Authority(), "127.0.0.1:8080");
}

TEST(AddressApiHost, LowerCasesSchemeAndHost) {
  const auto parsed = ParseApiHost("HTTPS://API.LeadSquared.com:8443");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->tls);
  EXPECT_EQ(parsed->Authority(), "api.leadsquared.com:8443");
}

TEST(AddressApiHost, AuthorityOmitsOnlyTheSchemesDefaultPort) {
  EXPECT_EQ(ParseApiHost("http://example.com:80")->Authority(), "example.com");
  EXPECT_EQ(ParseApiHost("http://example.com:443")->Authority(), "example.com:443");
  EXPECT_EQ(ParseApiHost("https://example.com:443")->Authority(), "example.com");
}

TEST(AddressApiHost, KeepsIpv6LiteralsBracketedInAuthority) {
  const auto parsed = ParseApiHost("http://[::1]:9000");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->Authority(), "[::1]:9000");
}

// The rule for both config and run time: one '/' after the host is what a
// browser's address bar shows, so it is accepted; anything more is a path.
TEST(AddressApiHost, AcceptsOneTrailingSlashOnly) {
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com/"), std::nullopt);
  EXPECT_EQ(ParseApiHost("https://api.leadsquared.com/"), ParseApiHost("https://api.leadsquared.com"));
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com//"), "a path is not allowed");
}

TEST(AddressApiHost, AcceptsSchemeHostAndOptionalPort) {
  for (const char* text : {"https://api-in21.leadsquared.com", "http://127.0.0.1:8080", "http://[::1]:8080",
                           "HTTPS://API.LEADSQUARED.COM", "http://localhost", "http://my_host:1"}) {
    EXPECT_EQ(CheckApiHost(text), std::nullopt) << text;
  }
}

TEST(AddressApiHost, NamesWhatIsWrong) {
  EXPECT_EQ(CheckApiHost("api.leadsquared.com"), "expected scheme://host[:port]");
  EXPECT_EQ(CheckApiHost("ftp://api.leadsquared.com"), "the scheme must be http or https");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com/v2"), "a path is not allowed");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com?x=1"), "a query is not allowed");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com/?x=1"), "a query is not allowed");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com#top"), "a fragment is not allowed");
  EXPECT_EQ(CheckApiHost("https://user:pw@api.leadsquared.com"), "user info is not allowed");
  EXPECT_EQ(CheckApiHost("https://user@host"), "user info is not allowed");
  EXPECT_EQ(CheckApiHost("https://"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckApiHost("https://api leadsquared"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckApiHost("https://ho%41st"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckApiHost("http://[::1"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckApiHost("https://host:0"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://host:65536"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://host:http"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://host:80x"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("http://host:"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://::1:80"), "expected HOST:PORT (an IPv6 address goes in brackets)");
}

TEST(AddressApiHost, ErrorsNeverRepeatTheText) {
  std::string error;
  EXPECT_FALSE(ParseApiHost("https://secret-user:secret-pw@host", &error));
  EXPECT_EQ(error.find("secret"), std::string::npos) << error;
}

TEST(AddressListen, ReadsHostAndPort) {
  EXPECT_EQ(ParseListen("127.0.0.1:9464"), (ListenAddress{"127.0.0.1", 9464}));
  EXPECT_EQ(ParseListen("localhost:8088"), (ListenAddress{"localhost", 8088}));
  EXPECT_EQ(ParseListen("[::1]:0"), (ListenAddress{"::1", 0}));
  EXPECT_EQ(ParseListen("[::]:65535")->ToString(), "[::]:65535");
  EXPECT_EQ(ParseListen("0.0.0.0:80")->ToString(), "0.0.0.0:80");
}

TEST(AddressListen, RequiresHostAndPort) {
  EXPECT_EQ(CheckListen("127.0.0.1"), "the port is missing (expected HOST:PORT)");
  EXPECT_EQ(CheckListen("9464"), "the port is missing (expected HOST:PORT)");
  EXPECT_EQ(CheckListen(":8080"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckListen("host:"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(CheckListen("host:70000"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(CheckListen("host:-1"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(CheckListen("a:b:c"), "expected HOST:PORT (an IPv6 address goes in brackets)");
  EXPECT_EQ(CheckListen("::1:80"), "expected HOST:PORT (an IPv6 address goes in brackets)");
  EXPECT_EQ(CheckListen("[::1]80"), "expected HOST:PORT (an IPv6 address goes in brackets)");
  EXPECT_EQ(CheckListen("http://host:80"), "expected HOST:PORT (an IPv6 address goes in brackets)");
  EXPECT_EQ(CheckListen("user@host:80"), "user info is not allowed");
  EXPECT_EQ(CheckListen("bad host:80"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckListen(""), "the host is missing or not a valid name or address");
}

TEST(AddressLoopback, OnlyThisMachinesAddressesAndLocalhost) {
  for (std::string_view host : {"localhost", "127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  for (std::string_view host : {"128.0.0.1", "10.0.0.1", "0.0.0.0", "::", "::2", "::ffff:10.0.0.1",
                                "localhost.example.com", "127.0.0.1.example.com", ""})
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
}

}  // namespace
}  // namespace leadsync::net
