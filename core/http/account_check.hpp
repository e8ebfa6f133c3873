#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "core/http/leadsquared_client.hpp"

namespace leadsync {

// The result of `leadsync check --online`: do the keys work, and is the
// configured api_host the account's own region host?
struct AccountCheck {
  bool ok = false;
  std::string message;       // what to tell the operator; never a secret
  std::string account_host;  // host[:port] the account belongs to, when known
};

// "https://api-in21.leadsquared.com/v2/" → "api-in21.leadsquared.com": the
// host[:port] of a URL, lower-cased, scheme and path ignored.
[[nodiscard]] std::string UrlAuthority(const std::string& url);

// Reads LSQCommonServiceURLs.api from a UserByAccessKey.Get answer.
[[nodiscard]] std::optional<std::string> AccountApiUrl(const std::string& body);

// Judges an answer of UserByAccessKey.Get against the configured host.
[[nodiscard]] AccountCheck JudgeAccount(const ApiOutcome& outcome, const std::string& configured_api_host);

// Calls UserByAccessKey.Get with the configured keys and judges the answer.
[[nodiscard]] boost::asio::awaitable<AccountCheck> CheckAccount(boost::asio::any_io_executor executor,
                                                                ClientOptions options, std::string api_host);

}  // namespace leadsync
