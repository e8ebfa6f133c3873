// A config file's text through the loader: YAML, ${NAME} interpolation,
// durations and sizes, validation. Secrets are not read (no key files).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using leadsync::config::LoadConfigFromString;
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  const leadsync::config::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "LEADSQUARED_HOST") return "api-in21.leadsquared.com";
    if (name == "SPOOL") return "/var/spool/leadsync";
    return std::nullopt;
  };
  const auto result =
      LoadConfigFromString(yaml, "/etc/leadsync/leadsync.yaml", env, leadsync::config::SecretHandling::kSkip);
  if (result.config.has_value() != result.errors.empty()) std::abort();
  (void)leadsync::config::ParseDuration(yaml);
  (void)leadsync::config::ParseByteSize(yaml);
  return 0;
}
