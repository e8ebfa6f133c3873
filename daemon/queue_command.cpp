#include <CLI/CLI.hpp>
#include <iostream>

#include "core/dispatch/drain_forecast.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/escape.hpp"
#include "daemon/json_output.hpp"
#include "daemon/load.hpp"
#include "daemon/rate_window_use.hpp"

namespace leadsync::daemon {
namespace {

struct QueueArgs {
  std::string config;
  bool json = false;
};

// The backlog by priority, a line each: records pending or in flight, the
// oldest one's age, and how long they take at the configured limit.
void PrintPriorities(const PriorityBacklogs& backlogs, const std::array<std::optional<double>, 3>& drain,
                     TimePoint now) {
  for (Priority priority : kPriorities) {
    const auto index = static_cast<std::size_t>(PriorityValue(priority));
    const PriorityBacklog& backlog = backlogs[index];
    std::cout << "priority " << PriorityName(priority) << ": " << backlog.records << " pending";
    if (backlog.oldest) {
      std::cout << ", oldest " << std::chrono::duration<double>(now - *backlog.oldest).count() << " s";
    }
    if (backlog.records > 0 && drain[index]) std::cout << ", through in " << *drain[index] << " s";
    std::cout << "\n";
  }
}

int Stats(const QueueArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  auto queue = OpenQueueOrReport(*config, true);
  if (!queue) return 1;
  const QueueStats stats = queue->Stats();
  const TimePoint now = SystemTimeSource().Now();
  std::vector<std::string> configured;
  for (const config::Source& source : config->sources) configured.push_back(source.name);
  const std::map<std::string, SourceStatus> sources = SourceStatuses(stats, configured);
  const std::vector<WindowUse> windows = ReadWindowUse(*queue, config->leadsquared, now);
  const auto drain = DrainSeconds(stats.priorities, {windows, config->leadsquared.batch_size});
  if (args.json) {
    std::cout << StatsJson(stats, sources, drain, windows, now) << "\n";
    return 0;
  }
  const double age = stats.oldest ? std::chrono::duration<double>(now - *stats.oldest).count() : 0.0;
  std::cout << "pending      " << stats.pending << "\nin flight    " << stats.in_flight << "\ndead letter  "
            << stats.dead_letter << "\noldest age   " << age << " s\n";
  PrintPriorities(stats.priorities, drain, now);
  std::cout << WindowUseText(windows, now);
  for (const auto& [name, status] : sources) {
    std::cout << "source " << EscapeForDisplay(name) << ": " << status.ingested << " ingested, checkpoint "
              << EscapeForDisplay(status.checkpoint.value_or("none (reads from its start)"))
              << (status.configured ? "" : " (not in the config)") << "\n";
  }
  return 0;
}

int Check(const QueueArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  auto queue = OpenQueueOrReport(*config, true);
  if (!queue) return 1;
  const auto problems = queue->IntegrityCheck();
  const std::string path = EscapeForDisplay(config->queue.path.string());
  for (const auto& p : problems) std::cerr << path << ": " << EscapeForDisplay(p) << "\n";
  if (!problems.empty()) return 1;
  std::cout << path << ": ok\n";
  return 0;
}

}  // namespace

void AddQueueCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("queue", "Inspect the queue file");
  auto args = std::make_shared<QueueArgs>();
  AddConfigOption(*cmd, args->config);
  cmd->require_subcommand(1);
  cmd->fallthrough();
  auto* stats = cmd->add_subcommand("stats", "Pending, in flight, dead letters, sources");
  stats->add_flag("--json", args->json, "Machine-readable output");
  stats->callback([args, &exit_code] { exit_code = Stats(*args); });
  auto* check = cmd->add_subcommand("check", "Run SQLite's full integrity check on the queue file");
  check->callback([args, &exit_code] { exit_code = Check(*args); });
  AddQueueFileCommands(*cmd, std::shared_ptr<const std::string>(args, &args->config), exit_code);
}

}  // namespace leadsync::daemon
