#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <tuple>

#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
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
  std::string source;
  std::string reason;
  std::string older_than;
  std::string newer_than;
};

// Which dead letters `list` shows: by source, reason and age (at `now`).
struct ListFilter {
  std::string source;
  std::string reason;
  std::optional<TimePoint> before;  // dead-lettered before this
  std::optional<TimePoint> after;   // dead-lettered after this

  [[nodiscard]] bool Any() const { return !source.empty() || !reason.empty() || before || after; }
  [[nodiscard]] bool Keeps(const DeadLetterEntry& e) const {
    return (source.empty() || e.source == source) && (reason.empty() || e.reason == reason) &&
           (!before || e.dead_lettered_at < *before) && (!after || e.dead_lettered_at > *after);
  }
};

// Nullopt, after saying why, when an age is not a duration.
std::optional<ListFilter> MakeFilter(const DlqArgs& args, TimePoint now) {
  ListFilter filter{args.source, args.reason, std::nullopt, std::nullopt};
  for (const auto& [option, text, bound] : {std::tuple{"--older-than", &args.older_than, &filter.before},
                                            std::tuple{"--newer-than", &args.newer_than, &filter.after}}) {
    if (text->empty()) continue;
    const std::optional<Duration> age = config::ParseDuration(*text);
    if (!age) {
      std::cerr << "leadsync: " << option << ": not a duration: " << EscapeForDisplay(*text)
                << " (a number and a unit: 90s, 15m, 2h, 7d)\n";
      return std::nullopt;
    }
    *bound = now - *age;
  }
  return filter;
}

int List(const DlqArgs& args) {
  const std::optional<ListFilter> filter = MakeFilter(args, SystemTimeSource().Now());
  if (!filter) return 2;
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  auto queue = OpenQueueOrReport(*config, true);
  if (!queue) return 1;
  std::vector<DeadLetterEntry> entries = queue->DeadLetters();
  std::erase_if(entries, [&](const DeadLetterEntry& e) { return !filter->Keeps(e); });
  if (args.json) {
    std::cout << DeadLettersJson(entries) << "\n";
    return 0;
  }
  if (entries.empty()) {
    std::cout << (filter->Any() ? "no dead letters match\n" : "no dead letters\n");
    return 0;
  }
  std::cout << "id\tkey\tsource\treason\tstatus\texception\tmessage\n";
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
  AddConfigOption(*cmd, args->config);
  cmd->require_subcommand(1);
  cmd->fallthrough();
  auto* list = cmd->add_subcommand("list", "List dead letters");
  list->add_flag("--json", args->json, "Machine-readable output");
  list->add_option("--source", args->source, "Only this source's");
  list->add_option("--reason", args->reason,
                   "Only this reason's (bad_request, data_error, expired, rejected, ...)");
  list->add_option("--older-than", args->older_than,
                   "Only those dead-lettered longer ago than DURATION (7d)");
  list->add_option("--newer-than", args->newer_than, "Only those dead-lettered within DURATION (2h)");
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
