#include <CLI/CLI.hpp>
#include <iostream>

#include "core/lead.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/escape.hpp"
#include "daemon/json_output.hpp"
#include "daemon/load.hpp"

namespace leadsync::daemon {
namespace {

struct HistoryArgs {
  std::string config;
  std::string key;
  bool json = false;
};

// "a@x.com" → the e-mail key, "+91 98…" → the phone key, and a key as
// `dlq list` prints it ("emailaddress:a@x.com", "mx_CustomerId:42") is
// normalised the way the queue normalised it.
std::string QueueKey(const std::string& given) {
  const auto colon = given.find(':');
  const bool named = colon != std::string::npos && given.find('@') > colon && colon > 0;
  if (!named) {
    if (given.find('@') != std::string::npos) return "emailaddress:" + NormaliseEmail(given);
    return "phone:" + NormalisePhone(given);
  }
  Lead lead;
  lead.Set(given.substr(0, colon), given.substr(colon + 1));
  lead.Set("SearchBy", given.substr(0, colon));
  return LeadKey(lead).value_or(given);
}

int History(const HistoryArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  auto queue = OpenQueueOrReport(*config, true);
  if (!queue) return 1;
  const std::string key = QueueKey(args.key);
  const auto entries = queue->History(key);
  if (args.json) {
    std::cout << HistoryJson(entries) << "\n";
    return 0;
  }
  if (entries.empty()) {
    std::cout << "no history for " << EscapeForDisplay(key) << "\n";
    return 0;
  }
  std::cout << "at\tstatus\tlead id\tresult\tattributes\tmessage\n";
  for (const HistoryEntry& e : entries) {
    std::cout << IsoTime(e.at) << "\t" << e.status << "\t"
              << (e.lead_id.empty() ? "-" : EscapeForDisplay(e.lead_id)) << "\t"
              << (e.created   ? "created"
                  : e.updated ? "updated"
                              : "-")
              << "\t" << EscapeForDisplay(e.attributes)
              << (e.message.empty() ? "" : "\t" + EscapeForDisplay(e.message)) << "\n";
  }
  return 0;
}

}  // namespace

void AddHistoryCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("history", "What was sent for one lead, when, and the answer");
  auto args = std::make_shared<HistoryArgs>();
  AddConfigOption(*cmd, args->config);
  cmd->add_option("key", args->key, "E-mail, phone, or ATTRIBUTE:VALUE")->required();
  cmd->add_flag("--json", args->json, "Machine-readable output");
  cmd->callback([args, &exit_code] { exit_code = History(*args); });
}

}  // namespace leadsync::daemon
