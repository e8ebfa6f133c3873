#include "core/http/endpoint.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

TEST(ParseEndpoint, ReadsHttpsHostWithDefaultPort) {
  const auto endpoint = ParseEndpoint("https://api-in21.leadsquared.com");
  ASSERT_TRUE(endpoint);
  EXPECT_TRUE(endpoint->tls);
  EXPECT_EQ(endpoint->host, "api-in21.leadsquared.com");
  EXPECT_EQ(endpoint->port, 443);
  EXPECT_EQ(endpoint->Authority(), "api-in21.leadsquared.com");
}

TEST(ParseEndpoint, ReadsPlainHttpWithPort) {
  const auto endpoint = ParseEndpoint("http://127.0.0.1:8080");
  ASSERT_TRUE(endpoint);
  EXPECT_FALSE(endpoint->tls);
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, 8080);
  EXPECT_EQ(endpoint->Authority(), "127.0.0.1:8080");
}

TEST(ParseEndpoint, AuthorityOmitsOnlyTheSchemesDefaultPort) {
  EXPECT_EQ(ParseEndpoint("http://example.com:80")->Authority(), "example.com");
  EXPECT_EQ(ParseEndpoint("http://example.com:443")->Authority(), "example.com:443");
  EXPECT_EQ(ParseEndpoint("HTTPS://API.LeadSquared.com:8443")->Authority(), "api.leadsquared.com:8443");
}

TEST(ParseEndpoint, KeepsIpv6LiteralsBracketedInAuthority) {
  const auto endpoint = ParseEndpoint("http://[::1]:9000");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->Authority(), "[::1]:9000");
}

TEST(ParseEndpoint, AcceptsOneTrailingSlash) {
  const auto endpoint = ParseEndpoint("https://api.leadsquared.com/");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "api.leadsquared.com");
}

TEST(ParseEndpoint, RejectsAnythingButSchemeHostPort) {
  for (const char* bad : {"api.leadsquared.com", "ftp://host", "https://", "https://host/v2",
                          "https://host:0", "https://host:70000", "https://host:80x", "https://user@host",
                          "https://host?x=1", "https://ho st", "http://host:", "http://[::1"}) {
    std::string error;
    EXPECT_FALSE(ParseEndpoint(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace leadsync
