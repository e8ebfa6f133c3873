#include "config/address.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace leadsync::config {
namespace {

TEST(CheckApiHost, AcceptsSchemeHostAndOptionalPort) {
  for (const char* text : {"https://api-in21.leadsquared.com", "http://127.0.0.1:8080", "http://[::1]:8080",
                           "HTTPS://API.LEADSQUARED.COM", "http://localhost"}) {
    EXPECT_EQ(CheckApiHost(text), std::nullopt) << text;
  }
}

TEST(CheckApiHost, NamesWhatIsWrong) {
  EXPECT_EQ(CheckApiHost("api.leadsquared.com"), "expected scheme://host[:port]");
  EXPECT_EQ(CheckApiHost("ftp://api.leadsquared.com"), "the scheme must be http or https");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com/v2"), "a path is not allowed");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com/"), "a path is not allowed");
  EXPECT_EQ(CheckApiHost("https://api.leadsquared.com?x=1"), "a path is not allowed");
  EXPECT_EQ(CheckApiHost("https://user:pw@api.leadsquared.com"), "user info is not allowed");
  EXPECT_EQ(CheckApiHost("https://"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckApiHost("https://api leadsquared"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckApiHost("https://host:0"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://host:65536"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://host:http"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(CheckApiHost("https://::1:80"), "expected HOST:PORT (an IPv6 address goes in brackets)");
}

TEST(CheckListen, AcceptsHostAndPort) {
  for (const char* text : {"127.0.0.1:9464", "0.0.0.0:80", "localhost:8088", "[::1]:0", "[::]:65535"}) {
    EXPECT_EQ(CheckListen(text), std::nullopt) << text;
  }
}

TEST(CheckListen, RequiresHostAndPort) {
  EXPECT_EQ(CheckListen("127.0.0.1"), "the port is missing (expected HOST:PORT)");
  EXPECT_EQ(CheckListen(":8080"), "the host is missing or not a valid name or address");
  EXPECT_EQ(CheckListen("host:"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(CheckListen("host:70000"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(CheckListen("a:b:c"), "expected HOST:PORT (an IPv6 address goes in brackets)");
  EXPECT_EQ(CheckListen("http://host:80"), "expected HOST:PORT (an IPv6 address goes in brackets)");
}

}  // namespace
}  // namespace leadsync::config
