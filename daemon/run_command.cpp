#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "core/queue/queue.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/load.hpp"
#include "daemon/logging.hpp"
#include "daemon/service.hpp"

namespace leadsync::daemon {
namespace {

int RunDaemon(const std::string& file) {
  std::vector<config::ConfigError> warnings;
  auto config = LoadOrReport(file, config::SecretHandling::kRead, false, &warnings);
  if (!config) return 1;
  SetupLogging(config->log);
  for (const config::ConfigError& w : warnings) spdlog::warn("{}", w.ToString());
  try {
    Service service(*std::move(config));
    return service.Run();
  } catch (const QueueError& e) {
    spdlog::critical("cannot start: {}", e.what());
    return e.reason() == "damaged" ? kExitQueueDamaged : 1;
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  }
}

}  // namespace

void AddRunCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("run", "Run the daemon in the foreground (systemd Type=notify)");
  auto file = std::make_shared<std::string>();
  AddConfigOption(*cmd, *file);
  cmd->callback([file, &exit_code] { exit_code = RunDaemon(*file); });
}

}  // namespace leadsync::daemon
