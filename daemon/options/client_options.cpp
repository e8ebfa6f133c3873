#include "daemon/options/client_options.hpp"

#include <stdexcept>

namespace leadsync::daemon {

ClientOptions ClientOptionsFrom(const config::LeadSquared& s) {
  ClientOptions o;
  std::string error;
  auto endpoint = ParseEndpoint(s.api_host, &error);
  if (!endpoint) throw std::invalid_argument("leadsquared.api_host: " + error);
  o.endpoint = *endpoint;
  o.auth = s.auth == config::AuthMode::kQuery ? AuthPlacement::kQuery : AuthPlacement::kHeaders;
  o.access_key = s.access_key;
  o.secret_key = s.secret_key;
  o.request_timeout = s.request_timeout;
  o.tls_verify = s.tls_verify;
  return o;
}

}  // namespace leadsync::daemon
