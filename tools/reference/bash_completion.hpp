#pragma once

#include <string>
#include <vector>

#include "tools/reference/cli_tree.hpp"

namespace leadsync::reference {

// A bash completion script for leadsync (needs bash-completion's
// _init_completion and _filedir): the commands at each level, every option
// of the command being typed (and of its parents when it takes theirs), the
// choices of an option that has them, and file names where a file goes.
// `commands` is ReadCommands' list, leadsync itself first.
[[nodiscard]] std::string BashCompletion(const std::vector<CommandDoc>& commands);

}  // namespace leadsync::reference
