#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/net/address.hpp"
#include "daemon/commands.hpp"
#include "daemon/escape.hpp"
#include "daemon/logging.hpp"
#include "sandbox/sandbox.hpp"

namespace leadsync::daemon {
namespace {

struct SandboxArgs {
  std::string listen = "127.0.0.1:8080";
  SandboxOptions options;
  std::int64_t latency_ms = 0;
  std::int64_t jitter_ms = 0;
  std::vector<std::string> rate_limits{"25/5"};
  std::string foreign_load;
  std::int64_t retry_after_s = -1;
  bool observe_rate_limit = false;
  std::string poison_mode = "400";
  std::uint32_t seed = 0;
  CLI::Option* seed_option = nullptr;
  std::string log_level = "info";
  std::string fields_file;
};

// "N/SECONDS" ("25/5", "10/1s"): N calls in any SECONDS-second window.
bool ParseRateLimit(const std::string& text, int& requests, std::chrono::milliseconds& per) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  std::string_view seconds_text = std::string_view(text).substr(slash + 1);
  if (seconds_text.ends_with('s')) seconds_text.remove_suffix(1);
  long seconds = 0;
  const auto [n_end, n_error] = std::from_chars(text.data(), text.data() + slash, requests);
  const auto [s_end, s_error] =
      std::from_chars(seconds_text.data(), seconds_text.data() + seconds_text.size(), seconds);
  const bool whole = n_end == text.data() + slash && s_end == seconds_text.data() + seconds_text.size();
  per = std::chrono::seconds(seconds);
  return n_error == std::errc() && s_error == std::errc() && whole && requests > 0 && seconds > 0;
}

CLI::Validator RateValidator() {
  return CLI::Validator(
      [](std::string& text) {
        int requests = 0;
        std::chrono::milliseconds per{0};
        return ParseRateLimit(text, requests, per) ? std::string() : "expected N/SECONDS, e.g. 25/5";
      },
      "N/SECONDS");
}

config::LogLevel LevelNamed(const std::string& name) {
  if (name == "trace") return config::LogLevel::kTrace;
  if (name == "debug") return config::LogLevel::kDebug;
  if (name == "warn") return config::LogLevel::kWarn;
  if (name == "error") return config::LogLevel::kError;
  return config::LogLevel::kInfo;
}

SandboxOptions BuildOptions(const SandboxArgs& args) {
  SandboxOptions options = args.options;
  options.latency = std::chrono::milliseconds(args.latency_ms);
  options.latency_jitter = std::chrono::milliseconds(args.jitter_ms);
  options.rate_limits.clear();
  for (const std::string& text : args.rate_limits) {
    SandboxRateLimit limit;
    ParseRateLimit(text, limit.requests, limit.per);
    options.rate_limits.push_back(limit);
  }
  if (!args.foreign_load.empty())
    ParseRateLimit(args.foreign_load, options.foreign_calls, options.foreign_per);
  if (args.retry_after_s >= 0) options.refusal_retry_after = std::chrono::seconds(args.retry_after_s);
  options.enforce_rate_limit = !args.observe_rate_limit;
  options.poison_mode = args.poison_mode == "mx" ? PoisonMode::kMxException : PoisonMode::kBadRequest;
  if (args.seed_option->count() > 0) options.seed = args.seed;
  return options;
}

// The text of --fields; the sandbox reads and checks it.
void ReadFieldsFile(const std::string& path, SandboxOptions& options) {
  if (path.empty()) return;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read --fields " + path);
  options.fields = text.str();
  options.check_fields = true;
}

int RunSandbox(const SandboxArgs& args) {
  SetupLogging(config::Log{LevelNamed(args.log_level), config::LogFormat::kText});
  boost::asio::io_context io{1};
  std::optional<Sandbox> sandbox;
  try {
    SandboxOptions options = BuildOptions(args);
    ReadFieldsFile(args.fields_file, options);
    sandbox.emplace(io, args.listen, options);
  } catch (const std::exception& e) {
    std::cerr << "leadsync: " << EscapeForDisplay(e.what()) << "\n";
    return 1;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (!error) spdlog::info("sandbox: signal {}, stopping", signal);
    sandbox->Stop();
    io.stop();
  });
  // Tests started with port 0 learn the port from this line.
  std::cout << "sandbox listening on " << sandbox->address() << std::endl;
  io.run();
  return 0;
}

void AddFaultOptions(CLI::App& cmd, SandboxArgs& args) {
  const auto probability = CLI::Range(0.0, 1.0);
  cmd.add_option("--latency", args.latency_ms, "Milliseconds added to every API answer")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--latency-jitter", args.jitter_ms, "Up to this many more milliseconds, at random")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--error-rate", args.options.error_rate, "Probability of a 500 without an MX exception")
      ->check(probability);
  cmd.add_option("--throttle-rate", args.options.throttle_rate,
                 "Probability of a refusal although under the limit (noise, another integration)")
      ->check(probability);
  cmd.add_option("--throttle-status", args.options.throttle_statuses,
                 "How refusals are answered: 429, 403, or 200 with the error object (real accounts do all "
                 "three); a list such as 429,403,200 takes them in turn")
      ->delimiter(',')
      ->check(CLI::IsMember({429, 403, 200}))
      ->capture_default_str();
  cmd.add_option("--retry-after", args.retry_after_s, "Send Retry-After: SECONDS with every refusal")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--foreign-load", args.foreign_load,
                 "N/SECONDS: another client on the same keys, using N calls of the window, evenly spread")
      ->check(RateValidator());
  cmd.add_option("--reset-rate", args.options.reset_rate, "Probability of dropping the connection unanswered")
      ->check(probability);
  cmd.add_option("--poison", args.options.poison,
                 "A call holding a record whose JSON contains this text fails");
  cmd.add_option("--poison-mode", args.poison_mode, "400, or mx: 500 with MXDuplicateEntryException")
      ->check(CLI::IsMember({"400", "mx"}));
  args.seed_option = cmd.add_option("--seed", args.seed, "Seed for repeatable faults and lead ids");
  cmd.add_option("--track", args.options.track,
                 "Record the values this attribute takes, per lead in arrival order (GET /sandbox/history)");
}

}  // namespace

void AddSandboxCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("sandbox", "Run a LeadSquared API emulator (plain HTTP, leads in memory)");
  auto args = std::make_shared<SandboxArgs>();
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str()
      ->check(CLI::Validator([](std::string& text) { return net::CheckListen(text).value_or(std::string()); },
                             "HOST:PORT"));
  cmd->add_option("--access-key", args->options.access_key, "Access key the emulator accepts")
      ->capture_default_str();
  cmd->add_option("--secret-key", args->options.secret_key, "Secret key the emulator accepts");
  cmd->add_option("--rate-limit", args->rate_limits,
                  "N/SECONDS: calls accepted in any window; repeat for several windows at once "
                  "(--rate-limit 5/5 --rate-limit 10000/86400)")
      ->capture_default_str()
      ->check(RateValidator());
  cmd->add_flag("--observe-rate-limit", args->observe_rate_limit,
                "Never refuse for the limit; only count violations in /sandbox/state");
  cmd->add_option(
         "--fields", args->fields_file,
         "FILE: the account's lead fields as LeadsMetaData.Get answers (a JSON array); served by that "
         "call, and a bulk call naming another attribute or a Select value not among its options is "
         "refused (400). Default: built-in and a few mx_ fields, served but not enforced")
      ->check(CLI::ExistingFile);
  AddFaultOptions(*cmd, *args);
  cmd->add_option("--log-level", args->log_level, "trace | debug | info | warn | error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  cmd->callback([args, &exit_code] { exit_code = RunSandbox(*args); });
}

}  // namespace leadsync::daemon
