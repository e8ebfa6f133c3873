#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace leadsync {

// A named value a log line carries besides its message: `source`,
// `records`, `status`, `duration_ms`... A JSON log (`log.format: json`)
// writes each as a field of the line's object; a text log shows only the
// message, which says the same in words. Never a record's key or any other
// personal data: log lines leave the host.
struct LogField {
  std::string name;
  std::variant<std::int64_t, std::string> value;
};

// Logs `message` at `level` with `fields` (spdlog's default logger). The
// fields are visible to the formatter through CurrentLogFields() for the
// duration of the call only, on the calling thread: the logger must be
// synchronous (as daemon/logging.hpp sets it up).
void LogWithFields(spdlog::level::level_enum level, std::vector<LogField> fields, const std::string& message);

// The fields of the line being logged on this thread; empty outside
// LogWithFields.
[[nodiscard]] std::span<const LogField> CurrentLogFields();

}  // namespace leadsync
