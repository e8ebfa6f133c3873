#include "core/sources/webhook_token.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

TEST(WebhookToken, AuthorizationMeansBearerToken) {
  const WebhookToken token("Authorization", "abc");
  EXPECT_TRUE(token.bearer());
  EXPECT_TRUE(token.Accepts("Bearer abc"));
  EXPECT_TRUE(token.Accepts("  bearer\tabc  "));
  EXPECT_TRUE(token.Accepts("BEARER abc"));
  for (const char* value : {"", "abc", "Bearer", "Bearer ", "Bearerabc", "Bearer ab", "Bearer abcd",
                            "Basic abc", "Bearer abc abc"}) {
    EXPECT_FALSE(token.Accepts(value)) << value;
  }
}

TEST(WebhookToken, AnyOtherHeaderCarriesTheBareToken) {
  const WebhookToken token("X-Api-Key", "abc");
  EXPECT_FALSE(token.bearer());
  EXPECT_EQ(token.header(), "X-Api-Key");
  EXPECT_TRUE(token.Accepts("abc"));
  EXPECT_TRUE(token.Accepts(" abc "));
  EXPECT_FALSE(token.Accepts("Bearer abc"));
  EXPECT_FALSE(token.Accepts(""));
  EXPECT_FALSE(token.Accepts("ABC"));
}

TEST(WebhookToken, HeaderNameIsCaseInsensitive) { EXPECT_TRUE(WebhookToken("authorization", "t").bearer()); }

}  // namespace
}  // namespace leadsync
