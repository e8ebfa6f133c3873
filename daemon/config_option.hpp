#pragma once

#include <string>

namespace CLI {
class App;
}

namespace leadsync::daemon {

// Where a command looks for its configuration when -c is not given.
inline constexpr const char* kDefaultConfigFile = "/etc/leadsync/leadsync.yaml";

// The -c/--config option of a command, stored in `file`: when the option is
// not given, $LEADSYNC_CONFIG if set and not empty, else kDefaultConfigFile.
void AddConfigOption(CLI::App& command, std::string& file);

}  // namespace leadsync::daemon
