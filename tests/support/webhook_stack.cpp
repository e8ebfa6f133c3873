#include "tests/support/webhook_stack.hpp"

#include <regex>

namespace leadsync::testing {

std::filesystem::path WriteWebhookConfig(const TempDir& dir, const std::string& api_host,
                                         const WebhookStackOptions& options) {
  WriteSecretFile(dir / "webhook.token", std::string(kWebhookToken) + "\n");
  const std::string yaml =
      "leadsquared:\n  api_host: " + api_host +
      "\n  access_key: sandbox-access-key\n  secret_key: sandbox-secret-key\n  linger: 0s\n"
      "queue:\n  path: " +
      (dir / "queue.db").string() + "\n  sync: full\n  max_pending: " + std::to_string(options.max_pending) +
      "\nsources:\n  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() +
      "\n  - name: forms\n    type: webhook\n    listen: " + options.webhook_listen +
      "\n    token_file: " + (dir / "webhook.token").string() + "\n    fields: { email: EmailAddress }\n" +
      options.webhook_extra + "metrics:\n  listen: 127.0.0.1:" + std::to_string(options.metrics_port) +
      "\nlog:\n  level: info\nshutdown_timeout: 5s\n";
  const auto path = dir / "leadsync.yaml";
  WriteFile(path, yaml);
  std::filesystem::create_directories(dir / "spool");
  return path;
}

std::uint16_t WebhookPort(Process& daemon, std::string& log, const std::string& source) {
  const std::regex line("source " + source + ": listening on 127\\.0\\.0\\.1:([0-9]+)");
  std::uint16_t port = 0;
  (void)WaitFor(
      [&] {
        log += daemon.Stderr();
        std::smatch match;
        if (std::regex_search(log, match, line)) port = static_cast<std::uint16_t>(std::stoi(match[1].str()));
        return port != 0;
      },
      std::chrono::seconds(20));
  return port;
}

}  // namespace leadsync::testing
