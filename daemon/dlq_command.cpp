#include <CLI/CLI.hpp>
#include <iostream>

#include "daemon/commands.hpp"
#include "daemon/escape.hpp"
#include "daemon/json_output.hpp"
#include "daemon/load.hpp"

namespace leadsync::daemon {
namespace {

struct DlqArgs {
  std::string config;
  bool json = false;
  bool all = false;
  std::vector<std::int64_t> ids;
};

int List(const DlqArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  auto queue = OpenQueueOrReport(*config, true);
  if (!queue) return 1;
  const auto entries = queue->DeadLetters();
  if (args.json) {
    std::cout << DeadLettersJson(entries) << "\n";
    return 0;
  }
  for (const DeadLetterEntry& e : entries) {
    std::cout << e.id << "\t" << (e.key.empty() ? "-" : EscapeForDisplay(e.key)) << "\t"
              << EscapeForDisplay(e.source) << "\t" << EscapeForDisplay(e.reason) << "\t"
              << (e.status ? std::to_string(*e.status) : "-") << "\t" << EscapeForDisplay(e.exception_type)
              << "\t" << EscapeForDisplay(e.message) << "\n";
  }
  return 0;
}

// Replay and purge change the store, so they ask for ids or an explicit --all.
int Change(const DlqArgs& args, bool replay) {
  if (args.all == !args.ids.empty()) {
    std::cerr << "leadsync: give dead-letter ids, or --all\n";
    return 2;
  }
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  auto queue = OpenQueueOrReport(*config, false);
  if (!queue) return 1;
  const std::int64_t n = replay ? queue->ReplayDeadLetters(args.ids, SystemTimeSource().Now())
                                : queue->PurgeDeadLetters(args.ids);
  std::cout << (replay ? "replayed " : "purged ") << n << " dead letter(s)\n";
  return 0;
}

}  // namespace

void AddDlqCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("dlq", "List, replay or purge dead letters");
  auto args = std::make_shared<DlqArgs>();
  cmd->add_option("-c,--config", args->config, "Configuration file")->required();
  cmd->require_subcommand(1);
  cmd->fallthrough();
  auto* list = cmd->add_subcommand("list", "List dead letters");
  list->add_flag("--json", args->json, "Machine-readable output");
  list->callback([args, &exit_code] { exit_code = List(*args); });
  for (bool replay : {true, false}) {
    auto* sub = cmd->add_subcommand(replay ? "replay" : "purge",
                                    replay ? "Put dead letters back into the queue" : "Delete dead letters");
    sub->add_flag("--all", args->all, "Every dead letter");
    sub->add_option("ids", args->ids, "Dead-letter ids");
    sub->callback([args, replay, &exit_code] { exit_code = Change(*args, replay); });
  }
}

}  // namespace leadsync::daemon
