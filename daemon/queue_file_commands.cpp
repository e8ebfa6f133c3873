#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <limits>

#include "core/queue/queue_backup.hpp"
#include "core/queue/queue_error.hpp"
#include "core/queue/queue_salvage.hpp"
#include "daemon/commands.hpp"
#include "daemon/escape.hpp"
#include "daemon/load.hpp"

namespace leadsync::daemon {
namespace {

struct FileArgs {
  std::string file;
  bool force = false;
  std::string damaged;
  std::string salvaged;
};

int Backup(const std::string& config_file, const FileArgs& args) {
  auto config = LoadOrReport(config_file, config::SecretHandling::kSkip);
  if (!config) return 1;
  const std::string from = EscapeForDisplay(config->queue.path.string());
  try {
    const QueueContents c = BackupQueueFile(config->queue.path, args.file, args.force);
    std::cout << "backed up " << from << " to " << EscapeForDisplay(args.file) << " (" << c.bytes
              << " bytes): " << c.pending << " pending, " << c.in_flight << " in flight, " << c.dead_letters
              << " dead letters, " << c.history << " history entries, " << c.checkpoints << " checkpoints\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "leadsync: " << EscapeForDisplay(e.what()) << "\n";
    return 1;
  }
}

std::string Unreadable(const SalvagedTable& t) {
  if (!t.error.empty()) return "the whole table (" + EscapeForDisplay(t.error) + ")";
  if (t.unreadable.empty()) return "0";
  std::string out = t.lost ? std::to_string(*t.lost) + " rows, in " : "";
  for (std::size_t i = 0; i < t.unreadable.size(); ++i) {
    const auto [first, last] = t.unreadable[i];
    out += (i > 0 ? ", " : "") + std::string("ids ") + std::to_string(first) + "-" +
           (last == std::numeric_limits<std::int64_t>::max() ? std::string("end") : std::to_string(last));
  }
  return out;
}

int Salvage(const FileArgs& args) {
  try {
    const std::vector<SalvagedTable> tables = SalvageQueueFile(args.damaged, args.salvaged);
    std::cout << "salvaged " << EscapeForDisplay(args.damaged) << " into " << EscapeForDisplay(args.salvaged)
              << "\n";
    std::cout << fmt::format("{:<14}{:>10}  {}\n", "table", "copied", "could not read");
    bool whole = true;
    for (const SalvagedTable& t : tables) {
      std::cout << fmt::format("{:<14}{:>10}  {}\n", t.name, t.copied, Unreadable(t));
      whole = whole && t.error.empty() && t.unreadable.empty();
    }
    if (whole) return 0;
    std::cerr << "leadsync: " << EscapeForDisplay(args.salvaged)
              << " was written without what could not be read\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "leadsync: " << EscapeForDisplay(e.what()) << "\n";
    return 1;
  }
}

}  // namespace

void AddQueueFileCommands(CLI::App& queue, std::shared_ptr<const std::string> config, int& exit_code) {
  auto args = std::make_shared<FileArgs>();
  auto* backup = queue.add_subcommand("backup", "Copy the queue file safely, even while the daemon runs");
  backup->add_option("file", args->file, "Where to write the copy")->type_name("FILE")->required();
  backup->add_flag("--force", args->force, "Replace FILE if it exists");
  backup->callback([config, args, &exit_code] { exit_code = Backup(*config, *args); });
  auto* salvage =
      queue.add_subcommand("salvage", "Copy every readable row of a damaged queue file into a new one");
  salvage->add_option("damaged", args->damaged, "The damaged queue file")->type_name("FILE")->required();
  salvage->add_option("new", args->salvaged, "The new queue file to write (must not exist)")
      ->type_name("FILE")
      ->required();
  salvage->callback([args, &exit_code] { exit_code = Salvage(*args); });
}

}  // namespace leadsync::daemon
