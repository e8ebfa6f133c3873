#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <iostream>

#include "config/mapping_places.hpp"
#include "config/text_file.hpp"
#include "core/http/account_check.hpp"
#include "core/http/schema_fetch.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/escape.hpp"
#include "daemon/load.hpp"
#include "daemon/options/client_options.hpp"
#include "daemon/schema_findings.hpp"

namespace leadsync::daemon {
namespace {

ClientOptions CheckClientOptions(const config::LeadSquared& settings) {
  ClientOptions options = ClientOptionsFrom(settings);
  options.request_timeout = std::min(options.request_timeout, Duration{15'000});
  return options;
}

AccountCheck CheckOnline(const config::LeadSquared& settings) {
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(
      io, CheckAccount(io.get_executor(), CheckClientOptions(settings), settings.api_host),
      boost::asio::use_future);
  io.run();
  return result.get();
}

SchemaFetch FetchSchema(const config::LeadSquared& settings) {
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, FetchLeadSchema(io.get_executor(), CheckClientOptions(settings)),
                                      boost::asio::use_future);
  io.run();
  return result.get();
}

// The mappings against the account's schema; false when LeadSquared would
// refuse what one produces, or the schema could not be read.
bool CheckSchema(const std::string& file, const config::Config& config) {
  const SchemaFetch fetch = FetchSchema(config.leadsquared);
  if (!fetch.schema) {
    std::cerr << EscapeForDisplay(config.leadsquared.api_host)
              << ": cannot read the account's lead fields: " << EscapeForDisplay(fetch.error) << "\n";
    return false;
  }
  const config::TextFile text = config::ReadTextFile(file);
  const SchemaFindings findings =
      FindSchemaProblems(file, config::ReadMappingPlaces(text.content.value_or("")), *fetch.schema);
  for (config::ConfigError warning : findings.warnings) {
    warning.message = "warning: " + warning.message;
    std::cerr << EscapeForDisplay(warning.ToString()) << "\n";
  }
  for (const config::ConfigError& error : findings.errors)
    std::cerr << EscapeForDisplay(error.ToString()) << "\n";
  if (findings.errors.empty()) {
    std::cout << EscapeForDisplay(config.leadsquared.api_host)
              << ": the mappings' attributes are lead fields of "
              << "the account (" << fetch.schema->fields().size() << " fields)\n";
  }
  return findings.errors.empty();
}

int Check(const std::string& file, bool online) {
  auto config = LoadOrReport(file, config::SecretHandling::kRead, /*print_warnings=*/true);
  if (!config) return 1;
  std::cout << EscapeForDisplay(file) << ": ok (" << config->sources.size() << " source(s))\n";
  if (!online) return 0;
  const AccountCheck check = CheckOnline(config->leadsquared);
  (check.ok ? std::cout : std::cerr) << EscapeForDisplay(config->leadsquared.api_host) << ": "
                                     << EscapeForDisplay(check.message) << "\n";
  if (!check.ok) return 1;
  return CheckSchema(file, *config) ? 0 : 1;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Validate a configuration file; errors as FILE:LINE:COL: message");
  auto file = std::make_shared<std::string>();
  auto online = std::make_shared<bool>(false);
  AddConfigOption(*cmd, *file);
  cmd->add_flag("--online", *online,
                "Also verify the keys and the region host against the API, and the mappings against the "
                "account's lead fields");
  cmd->callback([file, online, &exit_code] { exit_code = Check(*file, *online); });
}

}  // namespace leadsync::daemon
