#pragma once

#include <memory>
#include <string>

namespace CLI {
class App;
}

// Each command registers its subcommand and options on the application; its
// callback stores the process exit code (0 ok, 1 failure; usage errors, 2,
// are CLI11's). The command bodies live in daemon/<name>_command.cpp.
namespace leadsync::daemon {

void AddRunCommand(CLI::App& app, int& exit_code);
void AddCheckCommand(CLI::App& app, int& exit_code);
void AddEnqueueCommand(CLI::App& app, int& exit_code);
void AddQueueCommand(CLI::App& app, int& exit_code);
void AddDlqCommand(CLI::App& app, int& exit_code);
void AddHistoryCommand(CLI::App& app, int& exit_code);
void AddSourceCommand(CLI::App& app, int& exit_code);
void AddSandboxCommand(CLI::App& app, int& exit_code);
// `queue backup` and `queue salvage`, under `queue`; `config` is its -c.
void AddQueueFileCommands(CLI::App& queue, std::shared_ptr<const std::string> config, int& exit_code);

// What `leadsync --help` says the program is (also the man page's NAME).
inline constexpr const char* kDescription =
    "leadsync: keeps a LeadSquared account in step with where leads are born";

// The whole command line: every command above, and --version.
void AddCommands(CLI::App& app, int& exit_code);

// Parses the command line and runs the chosen command.
int Main(int argc, char** argv);

}  // namespace leadsync::daemon
