#pragma once

#include <spdlog/formatter.h>

#include <memory>

#include "config/config.hpp"

namespace leadsync::daemon {

// Sends the default spdlog logger to stderr: text for terminals, one JSON
// object per line for `log.format: json` ("time", "level", "msg", then the
// line's LogFields, core/log_fields.hpp). Every message is escaped for
// display (daemon/escape.hpp), so one record is one line whatever it quotes.
// When stderr is the journal's stream (JOURNAL_STREAM names it), lines carry
// no timestamp of their own (journald stamps them) and start with the syslog
// priority, `<4>` for a warning, which journald stores as PRIORITY=.
void SetupLogging(const config::Log& log);
// Level and format after a reload.
void ApplyLogSettings(const config::Log& log);

// The formatter SetupLogging installs, for stderr connected to the journal
// (`journal`) or not.
[[nodiscard]] std::unique_ptr<spdlog::formatter> MakeLogFormatter(config::LogFormat format, bool journal);

// Whether stderr is the stream systemd connected to the journal: the
// JOURNAL_STREAM variable names its device and inode. A process whose stderr
// was redirected inherits the variable but not the stream.
[[nodiscard]] bool StderrIsJournal();

}  // namespace leadsync::daemon
