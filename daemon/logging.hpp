#pragma once

#include "config/config.hpp"

namespace leadsync::daemon {

// Sends the default spdlog logger to stderr: text for terminals, one JSON
// object per line for `log.format: json` (the message escaped), and without
// a timestamp of its own under systemd (JOURNAL_STREAM set), which stamps
// every line already.
void SetupLogging(const config::Log& log);
// Level and format after a reload.
void ApplyLogSettings(const config::Log& log);

}  // namespace leadsync::daemon
