#include "daemon/load.hpp"

#include <iostream>

#include "config/loader.hpp"
#include "daemon/core_dumps.hpp"
#include "daemon/escape.hpp"
#include "daemon/options/queue_options.hpp"

namespace leadsync::daemon {

std::optional<config::Config> LoadOrReport(const std::filesystem::path& file, config::SecretHandling secrets,
                                           bool print_warnings, std::vector<config::ConfigError>* warnings) {
  if (secrets == config::SecretHandling::kRead) {
    const std::string why = ForbidCoreDumps();
    if (!why.empty()) std::cerr << "leadsync: warning: core dumps stay possible: " << why << "\n";
  }
  // The commands that read the secrets (check, run) are those that judge
  // whether the sources can run here.
  const config::HostCheck host =
      secrets == config::SecretHandling::kRead ? config::HostCheck::kCheck : config::HostCheck::kSkip;
  config::LoadResult result = config::LoadConfig(file, config::ProcessEnvironment(), secrets, host);
  for (const config::ConfigError& e : result.errors) std::cerr << EscapeForDisplay(e.ToString()) << "\n";
  if (print_warnings) {
    for (config::ConfigError& w : result.warnings) {
      w.message = "warning: " + w.message;
      std::cerr << EscapeForDisplay(w.ToString()) << "\n";
    }
  }
  if (warnings != nullptr) *warnings = std::move(result.warnings);
  return std::move(result.config);
}

std::unique_ptr<Queue> OpenQueueOrReport(const config::Config& config, bool read_only) {
  if (read_only && !std::filesystem::exists(config.queue.path)) {
    std::cerr << "leadsync: queue file " << EscapeForDisplay(config.queue.path.string())
              << " does not exist yet (it is created by `leadsync run` or `leadsync enqueue`)\n";
    return nullptr;
  }
  QueueOptions options = QueueOptionsFrom(config.queue);
  options.read_only = read_only;
  try {
    return OpenQueue(options);
  } catch (const std::exception& e) {
    std::cerr << "leadsync: " << EscapeForDisplay(e.what()) << "\n";
    return nullptr;
  }
}

}  // namespace leadsync::daemon
