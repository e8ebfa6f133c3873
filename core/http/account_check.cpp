#include "core/http/account_check.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace leadsync {

std::string UrlAuthority(const std::string& url) {
  std::string rest = url;
  if (const auto scheme = rest.find("://"); scheme != std::string::npos) rest = rest.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  std::transform(rest.begin(), rest.end(), rest.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return rest;
}

std::optional<std::string> AccountApiUrl(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value answer = boost::json::parse(body, ec);
  if (ec || !answer.is_object()) return std::nullopt;
  const auto* urls = answer.as_object().if_contains("LSQCommonServiceURLs");
  if (urls == nullptr || !urls->is_object()) return std::nullopt;
  const auto* api = urls->as_object().if_contains("api");
  if (api == nullptr || !api->is_string()) return std::nullopt;
  return std::string(api->as_string());
}

AccountCheck JudgeAccount(const ApiOutcome& outcome, const std::string& configured_api_host) {
  if (outcome.kind == OutcomeKind::kAuth) {
    return {false,
            "the API refused the keys (HTTP " + std::to_string(outcome.status) +
                "): check access_key and secret_key, and that the user is active",
            ""};
  }
  if (outcome.kind != OutcomeKind::kOk) return {false, "cannot verify the keys: " + outcome.message, ""};
  const auto api = AccountApiUrl(outcome.body);
  if (!api) return {false, "the answer of UserByAccessKey.Get names no LSQCommonServiceURLs.api host", ""};
  const std::string account = UrlAuthority(*api);
  if (account != UrlAuthority(configured_api_host)) {
    return {false,
            "the keys belong to " + account + ", not " + UrlAuthority(configured_api_host) +
                ": set leadsquared.api_host to https://" + account,
            account};
  }
  return {true, "keys accepted; the account's API host is " + account, account};
}

boost::asio::awaitable<AccountCheck> CheckAccount(boost::asio::any_io_executor executor,
                                                  ClientOptions options, std::string api_host) {
  LeadSquaredClient client(executor, std::move(options));
  const ApiOutcome outcome = co_await client.GetUserByAccessKey();
  co_return JudgeAccount(outcome, api_host);
}

}  // namespace leadsync
