#include <CLI/CLI.hpp>
#include <iostream>

#include "daemon/commands.hpp"
#include "daemon/load.hpp"

namespace leadsync::daemon {
namespace {

int Check(const std::string& file, bool online) {
  auto config = LoadOrReport(file);
  if (!config) return 1;
  std::cout << file << ": ok (" << config->sources.size() << " source(s), api_host "
            << config->leadsquared.api_host << ")\n";
  if (online) {
    std::cerr << "leadsync: check --online is not available in this build\n";
    return 1;
  }
  return 0;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Validate a configuration file; errors as FILE:LINE:COL: message");
  auto file = std::make_shared<std::string>();
  auto online = std::make_shared<bool>(false);
  cmd->add_option("-c,--config", *file, "Configuration file")->required();
  cmd->add_flag("--online", *online, "Also verify the keys and the region host against the API");
  cmd->callback([file, online, &exit_code] { exit_code = Check(*file, *online); });
}

}  // namespace leadsync::daemon
