#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

// The command line as plain values, read from the same CLI::App that
// `leadsync` parses with (daemon::AddCommands), for the reference pages and
// the bash completion that leadsync-reference writes at build time. Option
// texts are those CLI11's --help formatter prints, so the pages and --help
// cannot drift apart.
namespace leadsync::reference {

struct OptionDoc {
  std::vector<std::string> names;    // "-c", "--config"; a positional's one name ("path")
  std::string value;                 // what --help prints after the names: " TEXT:{a,b} REQUIRED"
  std::string description;           // as --help prints it
  std::vector<std::string> choices;  // of an IsMember check, else empty
  bool takes_value = false;          // a value follows the option
  bool file = false;                 // the value (or positional) names a file
  bool positional = false;
};

struct CommandDoc {
  std::string path;                   // "" for leadsync itself, "queue stats"
  std::string description;            // as --help prints it
  std::string usage;                  // "leadsync queue stats [OPTIONS]"
  std::vector<OptionDoc> options;     // --help included, as --help lists it
  std::vector<std::string> commands;  // names of the subcommands
  bool fallthrough = false;           // the parent's options are taken here too
};

// `app` and every command under it, depth first, `app` first.
[[nodiscard]] std::vector<CommandDoc> ReadCommands(const CLI::App& app);

// The commands `leadsync` has: AddCommands on a fresh application.
[[nodiscard]] std::vector<CommandDoc> LeadsyncCommands();

}  // namespace leadsync::reference
