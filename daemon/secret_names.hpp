#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace leadsync::daemon {

// One secret of a configuration, named by the key that holds it
// ("leadsquared.secret_key", "sources.crm.dsn"), whether given inline or as
// its *_file twin. `value` points into the configuration it came from.
struct NamedSecret {
  std::string name;
  const std::string* value = nullptr;
};

// Every secret `config` holds: the API keys, each postgres source's DSN, each
// webhook's token and TLS key.
[[nodiscard]] std::vector<NamedSecret> SecretsOf(const config::Config& config);

// For the reload's log line: the names of the secrets `after` read, then
// which differ from `before` ("none" when none does). Names only, never a
// value.
[[nodiscard]] std::string DescribeReloadedSecrets(const config::Config& before, const config::Config& after);

}  // namespace leadsync::daemon
