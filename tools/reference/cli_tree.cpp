#include "tools/reference/cli_tree.hpp"

#include <CLI/CLI.hpp>
#include <regex>

#include "daemon/commands.hpp"

namespace leadsync::reference {
namespace {

// CLI::IsMember shows its set in the type name: "TEXT:{csv,jsonl,json}".
std::vector<std::string> Choices(const std::string& type_name) {
  static const std::regex kSet(R"(\{([^}]*)\})");
  std::smatch match;
  std::vector<std::string> choices;
  if (!std::regex_search(type_name, match, kSet)) return choices;
  std::stringstream items(match[1].str());
  for (std::string item; std::getline(items, item, ',');) choices.push_back(item);
  return choices;
}

OptionDoc ReadOption(const CLI::Formatter& formatter, const CLI::Option& option) {
  OptionDoc doc;
  doc.positional = !option.nonpositional();
  if (doc.positional) {
    doc.names.push_back(option.get_name(true));
  } else {
    for (const std::string& s : option.get_snames()) doc.names.push_back("-" + s);
    for (const std::string& l : option.get_lnames()) doc.names.push_back("--" + l);
  }
  doc.value = formatter.make_option_opts(&option);
  doc.description = option.get_description();
  doc.choices = Choices(option.get_type_name());
  doc.takes_value = option.get_type_size() != 0;
  doc.file = option.get_type_name().starts_with("FILE");
  return doc;
}

std::string Usage(const CLI::Formatter& formatter, const CLI::App& app, const std::string& name) {
  std::string usage = formatter.make_usage(&app, name);
  const std::string prefix = "Usage: ";
  if (usage.starts_with(prefix)) usage.erase(0, prefix.size());
  while (!usage.empty() && usage.back() == '\n') usage.pop_back();
  return usage;
}

void Read(const CLI::Formatter& formatter, const CLI::App& app, const std::string& path,
          std::vector<CommandDoc>& out) {
  CommandDoc doc;
  doc.path = path;
  doc.description = app.get_description();
  doc.usage = Usage(formatter, app, path.empty() ? app.get_name() : "leadsync " + path);
  doc.fallthrough = app.get_fallthrough();
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_group().empty()) doc.options.push_back(ReadOption(formatter, *option));
  }
  const auto subcommands = app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (const CLI::App* sub : subcommands) doc.commands.push_back(sub->get_name());
  out.push_back(std::move(doc));
  for (const CLI::App* sub : subcommands) {
    Read(formatter, *sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
  }
}

}  // namespace

std::vector<CommandDoc> ReadCommands(const CLI::App& app) {
  const CLI::Formatter formatter;
  std::vector<CommandDoc> commands;
  Read(formatter, app, "", commands);
  return commands;
}

std::vector<CommandDoc> LeadsyncCommands() {
  CLI::App app{daemon::kDescription, "leadsync"};
  int exit_code = 0;
  daemon::AddCommands(app, exit_code);
  return ReadCommands(app);
}

}  // namespace leadsync::reference
