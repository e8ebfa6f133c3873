#include "daemon/unknown_argument.hpp"

#include <CLI/CLI.hpp>
#include <vector>

#include "config/closest_name.hpp"
#include "daemon/escape.hpp"

namespace leadsync::daemon {
namespace {

const CLI::App* Deepest(const CLI::App& app) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
  return at;
}

std::vector<std::string> OptionNames(const CLI::App* at) {
  std::vector<std::string> names;
  for (; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
      for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    }
  }
  return names;
}

std::vector<std::string> CommandNames(const CLI::App* at) {
  std::vector<std::string> names;
  for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

}  // namespace

std::optional<std::string> DescribeUnknownArgument(const CLI::App& app) {
  const std::vector<std::string> left = app.remaining(true);
  if (left.empty()) return std::nullopt;
  const std::string& given = left.front();
  const CLI::App* at = Deepest(app);
  if (given.size() > 1 && given.front() == '-') {
    const std::string name = given.substr(0, given.find('='));
    return "unknown option '" + EscapeForDisplay(name) + "'" + config::DidYouMean(name, OptionNames(at));
  }
  const std::vector<std::string> commands = CommandNames(at);
  if (commands.empty()) return "unexpected argument '" + EscapeForDisplay(given) + "'";
  return "unknown command '" + EscapeForDisplay(given) + "'" + config::DidYouMean(given, commands);
}

}  // namespace leadsync::daemon
