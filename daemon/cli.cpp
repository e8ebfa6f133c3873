#include <signal.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "daemon/commands.hpp"
#include "daemon/escape.hpp"
#include "daemon/unknown_argument.hpp"

namespace leadsync::daemon {

void AddCommands(CLI::App& app, int& exit_code) {
  app.set_version_flag("--version", std::string("leadsync ") + LEADSYNC_VERSION);
  app.require_subcommand(1);
  AddRunCommand(app, exit_code);
  AddCheckCommand(app, exit_code);
  AddEnqueueCommand(app, exit_code);
  AddQueueCommand(app, exit_code);
  AddDlqCommand(app, exit_code);
  AddHistoryCommand(app, exit_code);
  AddSourceCommand(app, exit_code);
  AddSandboxCommand(app, exit_code);
}

int Main(int argc, char** argv) {
  CLI::App app{kDescription, "leadsync"};
  int exit_code = 0;
  // Under a file-size limit (ulimit -f, LimitFSIZE=) a queue write then
  // fails and rolls back like a full disk, instead of killing the process.
  ::signal(SIGXFSZ, SIG_IGN);
  AddCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports a mistyped command as "A subcommand is required" and
    // suggests nothing; name the argument and what was probably meant.
    if (const auto unknown = DescribeUnknownArgument(app); unknown && e.get_exit_code() != 0) {
      std::cerr << "leadsync: " << *unknown << "\nRun with --help for more information.\n";
      return 2;
    }
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "leadsync: " << EscapeForDisplay(e.what()) << "\n";
    return 1;
  }
  return exit_code;
}

}  // namespace leadsync::daemon
