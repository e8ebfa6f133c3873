#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {

inline constexpr const char* kWebhookToken = "webhook-test-token";

// What WriteWebhookConfig puts in the config beyond its defaults.
struct WebhookStackOptions {
  std::string webhook_listen = "127.0.0.1:0";
  std::uint16_t metrics_port = 0;
  std::int64_t max_pending = 10'000'000;
  std::string webhook_extra{};  // YAML lines under the webhook source, indented 4 spaces
};

// A config in `dir` for `leadsync run` against `api_host` with two sources:
// "spool" (dir/spool) and the webhook "forms" (token kWebhookToken from a
// token_file, `email` renamed to EmailAddress), the queue at dir/queue.db
// (sync: full) and info logs.
std::filesystem::path WriteWebhookConfig(const TempDir& dir, const std::string& api_host,
                                         const WebhookStackOptions& options = {});

// The port the webhook source `source` listens on, from the daemon's log
// line "source NAME: listening on 127.0.0.1:PORT"; 0 when it does not come
// within 20 s. `log` collects what stderr held meanwhile.
[[nodiscard]] std::uint16_t WebhookPort(Process& daemon, std::string& log,
                                        const std::string& source = "forms");

}  // namespace leadsync::testing
