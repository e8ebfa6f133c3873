#pragma once

#include <cstddef>
#include <string>

#include "core/clock.hpp"
#include "core/http/endpoint.hpp"

namespace leadsync {

// Where the access and secret keys go: headers (x-LSQ-AccessKey,
// x-LSQ-SecretKey) or the query string.
enum class AuthPlacement { kHeaders, kQuery };

// What a LeadSquaredClient needs and nothing more: the API's address, the
// keys it sends, its deadline and TLS check. daemon/options/client_options
// makes it from the `leadsquared:` section.
struct ClientOptions {
  Endpoint endpoint;
  AuthPlacement auth = AuthPlacement::kHeaders;
  std::string access_key;
  std::string secret_key;
  Duration request_timeout{30'000};
  bool tls_verify = true;
  // The largest answer body read. A bulk answer of 25 rows is a few KiB;
  // what parsing holds grows with the body, so this is far from generous.
  std::size_t body_limit = 1024 * 1024;
};

}  // namespace leadsync
