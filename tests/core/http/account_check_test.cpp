#include "core/http/account_check.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

ApiOutcome Answer(OutcomeKind kind, int status, std::string body = "") {
  ApiOutcome outcome;
  outcome.kind = kind;
  outcome.status = status;
  outcome.body = std::move(body);
  return outcome;
}

constexpr const char* kIn21 =
    R"({"Id":"u1","LSQCommonServiceURLs":{"api":"https://api-in21.leadsquared.com","app":"https://in21.leadsquared.com"}})";

TEST(AccountCheck, AuthorityIgnoresSchemePathAndCase) {
  EXPECT_EQ(UrlAuthority("https://API-in21.leadsquared.com/v2/"), "api-in21.leadsquared.com");
  EXPECT_EQ(UrlAuthority("http://127.0.0.1:8080"), "127.0.0.1:8080");
  EXPECT_EQ(UrlAuthority("api.leadsquared.com"), "api.leadsquared.com");
}

TEST(AccountCheck, MatchingHostPasses) {
  AccountCheck check = JudgeAccount(Answer(OutcomeKind::kOk, 200, kIn21), "http://api-in21.leadsquared.com");
  EXPECT_TRUE(check.ok);
  EXPECT_EQ(check.account_host, "api-in21.leadsquared.com");
}

TEST(AccountCheck, WrongRegionNamesTheRightHost) {
  AccountCheck check = JudgeAccount(Answer(OutcomeKind::kOk, 200, kIn21), "https://api.leadsquared.com");
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.message.find("set leadsquared.api_host to https://api-in21.leadsquared.com"),
            std::string::npos);
}

TEST(AccountCheck, RefusedKeysFail) {
  AccountCheck check = JudgeAccount(Answer(OutcomeKind::kAuth, 401), "https://api.leadsquared.com");
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.message.find("refused the keys"), std::string::npos);
}

TEST(AccountCheck, AnswerWithoutServiceUrlsFails) {
  EXPECT_FALSE(JudgeAccount(Answer(OutcomeKind::kOk, 200, "{}"), "https://api.leadsquared.com").ok);
  EXPECT_FALSE(JudgeAccount(Answer(OutcomeKind::kOk, 200, "not json"), "https://api.leadsquared.com").ok);
}

}  // namespace
}  // namespace leadsync
