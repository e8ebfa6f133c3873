#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace leadsync::daemon {

// After a failed parse of `app`: "unknown command 'stauts'; did you mean
// 'stats'?" or "unknown option '--verison'; did you mean '--version'?" for
// the first argument no command took, naming the closest subcommand or option
// of the command it was given to (options of the commands above it count, as
// they may be given there too). Nullopt when every argument was taken (the
// error is another one: a missing value, a required subcommand).
[[nodiscard]] std::optional<std::string> DescribeUnknownArgument(const CLI::App& app);

}  // namespace leadsync::daemon
