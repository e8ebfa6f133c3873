#include "daemon/secret_names.hpp"

#include <algorithm>

namespace leadsync::daemon {
namespace {

void AddSourceSecrets(const config::Source& source, std::vector<NamedSecret>& out) {
  const std::string prefix = "sources." + source.name + ".";
  if (const auto* postgres = source.As<config::PostgresSettings>()) {
    out.push_back({prefix + "dsn", &postgres->dsn});
  } else if (const auto* webhook = source.As<config::WebhookSettings>()) {
    if (!webhook->token.empty()) out.push_back({prefix + "token", &webhook->token});
    if (!webhook->tls_key.empty()) out.push_back({prefix + "tls_key_file", &webhook->tls_key});
  }
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

}  // namespace

std::vector<NamedSecret> SecretsOf(const config::Config& config) {
  std::vector<NamedSecret> out = {{"leadsquared.access_key", &config.leadsquared.access_key},
                                  {"leadsquared.secret_key", &config.leadsquared.secret_key}};
  for (const config::Source& source : config.sources) AddSourceSecrets(source, out);
  return out;
}

std::string DescribeReloadedSecrets(const config::Config& before, const config::Config& after) {
  const std::vector<NamedSecret> old_secrets = SecretsOf(before);
  std::vector<std::string> read;
  std::vector<std::string> changed;
  for (const NamedSecret& secret : SecretsOf(after)) {
    read.push_back(secret.name);
    const auto old = std::ranges::find(old_secrets, secret.name, &NamedSecret::name);
    if (old == old_secrets.end() || *old->value != *secret.value) changed.push_back(secret.name);
  }
  return Join(read) + "; changed: " + Join(changed);
}

}  // namespace leadsync::daemon
