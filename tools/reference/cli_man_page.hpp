#pragma once

#include <string>
#include <vector>

#include "tools/reference/cli_tree.hpp"

namespace leadsync::reference {

// leadsync(1) in man(7) roff: NAME, SYNOPSIS (every command's usage),
// DESCRIPTION, OPTIONS (leadsync's own), COMMANDS (each with its
// description, usage and options as --help shows them), FILES, ENVIRONMENT
// and SEE ALSO. `commands` is ReadCommands' list, leadsync itself first.
[[nodiscard]] std::string CliManPage(const std::vector<CommandDoc>& commands, const std::string& version);

}  // namespace leadsync::reference
