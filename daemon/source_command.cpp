#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "core/sources/postgres_cursor.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/load.hpp"

namespace leadsync::daemon {
namespace {

struct SourceArgs {
  std::string config;
  std::string name;
  std::optional<std::string> to;
};

const config::Source* FindSource(const config::Config& config, const std::string& name) {
  for (const config::Source& source : config.sources) {
    if (source.name == name) return &source;
  }
  return nullptr;
}

std::string Names(const config::Config& config) {
  std::string names;
  for (const config::Source& source : config.sources) names += (names.empty() ? "" : ", ") + source.name;
  return names;
}

// The checkpoint --to asks for, in the form the source stores (nullopt: the
// source's start); prints why not and returns false when it makes no sense.
bool Target(const config::Source& source, const SourceArgs& args, std::optional<std::string>& value) {
  if (!args.to) return true;
  const auto* postgres = source.As<config::PostgresSettings>();
  if (postgres == nullptr) {
    std::cerr << "leadsync: --to applies to postgres sources; source '" << source.name
              << "' can only go back to its start (leave --to out)\n";
    return false;
  }
  std::string error;
  const std::optional<CursorValues> values = DecodeCursor(*args.to, postgres->cursor.size(), &error);
  if (!values) {
    std::cerr << "leadsync: --to: " << error << "\n";
    return false;
  }
  value = EncodeCursor(*values);
  return true;
}

std::string Describe(const config::Source& source, const std::optional<std::string>& value) {
  if (value) return *value;
  if (const auto* postgres = source.As<config::PostgresSettings>()) {
    return "its start (cursor_start \"" + postgres->cursor_start + "\")";
  }
  return "its start";
}

int Reset(const SourceArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  const config::Source* source = FindSource(*config, args.name);
  if (source == nullptr) {
    std::cerr << "leadsync: no source named '" << args.name << "' in " << config->file.string()
              << " (sources: " << Names(*config) << ")\n";
    return 2;
  }
  std::optional<std::string> value;
  if (!Target(*source, args, value)) return 2;
  auto queue = OpenQueueOrReport(*config, false);
  if (!queue) return 1;
  queue->ResetCheckpoint(source->name, value);
  std::cout << "source " << source->name << ": checkpoint moved to " << Describe(*source, value)
            << "; a running daemon reads from there at its next poll\n";
  return 0;
}

}  // namespace

void AddSourceCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("source", "Act on a configured source's position");
  auto args = std::make_shared<SourceArgs>();
  AddConfigOption(*cmd, args->config);
  cmd->require_subcommand(1);
  cmd->fallthrough();
  auto* reset = cmd->add_subcommand(
      "reset", "Move a source's checkpoint back on purpose (backfill); safe while the daemon runs");
  reset->add_option("name", args->name, "Source name")->required();
  reset->add_option("--to", args->to,
                    "postgres: the cursor value to read from again ($1; for a composite cursor a JSON array "
                    "such as '[\"2024-05-01 00:00:00+00\", \"0\"]'); default: cursor_start");
  reset->callback([args, &exit_code] { exit_code = Reset(*args); });
}

}  // namespace leadsync::daemon
