#include "daemon/config_option.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>

namespace leadsync::daemon {

void AddConfigOption(CLI::App& command, std::string& file) {
  const char* from_env = std::getenv("LEADSYNC_CONFIG");
  file = from_env != nullptr && *from_env != '\0' ? from_env : kDefaultConfigFile;
  command
      .add_option(
          "-c,--config", file,
          std::string("Configuration file (default: $LEADSYNC_CONFIG, else ") + kDefaultConfigFile + ")")
      ->type_name("FILE");
}

}  // namespace leadsync::daemon
