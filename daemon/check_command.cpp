#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <iostream>

#include "core/http/account_check.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/escape.hpp"
#include "daemon/load.hpp"
#include "daemon/options/client_options.hpp"

namespace leadsync::daemon {
namespace {

AccountCheck CheckOnline(const config::LeadSquared& settings) {
  boost::asio::io_context io;
  ClientOptions options = ClientOptionsFrom(settings);
  options.request_timeout = std::min(options.request_timeout, Duration{15'000});
  auto result = boost::asio::co_spawn(io, CheckAccount(io.get_executor(), options, settings.api_host),
                                      boost::asio::use_future);
  io.run();
  return result.get();
}

int Check(const std::string& file, bool online) {
  auto config = LoadOrReport(file, config::SecretHandling::kRead, /*print_warnings=*/true);
  if (!config) return 1;
  std::cout << EscapeForDisplay(file) << ": ok (" << config->sources.size() << " source(s))\n";
  if (!online) return 0;
  const AccountCheck check = CheckOnline(config->leadsquared);
  (check.ok ? std::cout : std::cerr) << EscapeForDisplay(config->leadsquared.api_host) << ": "
                                     << EscapeForDisplay(check.message) << "\n";
  return check.ok ? 0 : 1;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Validate a configuration file; errors as FILE:LINE:COL: message");
  auto file = std::make_shared<std::string>();
  auto online = std::make_shared<bool>(false);
  AddConfigOption(*cmd, *file);
  cmd->add_flag("--online", *online, "Also verify the keys and the region host against the API");
  cmd->callback([file, online, &exit_code] { exit_code = Check(*file, *online); });
}

}  // namespace leadsync::daemon
