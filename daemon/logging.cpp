#include "daemon/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "core/log_fields.hpp"
#include "daemon/escape.hpp"

namespace leadsync::daemon {
namespace {

std::string_view Payload(const spdlog::details::log_msg& msg) {
  return {msg.payload.data(), msg.payload.size()};
}

void Append(std::string_view text, spdlog::memory_buf_t& dest) {
  dest.append(text.data(), text.data() + text.size());
}

// %q: the message escaped for display.
class EscapedMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    Append(EscapeForDisplay(Payload(msg)), dest);
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessageFlag>();
  }
};

// %j: the message, escaped as %q is, as a JSON string literal, quotes
// included: a JSON line reads the same as a text one.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    Append(boost::json::serialize(boost::json::string(EscapeForDisplay(Payload(msg)))), dest);
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %F: the line's LogFields (core/log_fields.hpp) as JSON members after
// "msg", each `,"name":value`; strings escaped as %q escapes the message.
class JsonFieldsFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (const LogField& field : CurrentLogFields()) {
      Append(",", dest);
      Append(boost::json::serialize(boost::json::string(field.name)), dest);
      Append(":", dest);
      if (const auto* number = std::get_if<std::int64_t>(&field.value)) {
        Append(std::to_string(*number), dest);
      } else {
        Append(
            boost::json::serialize(boost::json::string(EscapeForDisplay(std::get<std::string>(field.value)))),
            dest);
      }
    }
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonFieldsFlag>();
  }
};

// syslog(3) priorities, which journald reads from a "<N>" line prefix.
char SyslogPriority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical:
      return '2';
    case spdlog::level::err:
      return '3';
    case spdlog::level::warn:
      return '4';
    case spdlog::level::trace:
    case spdlog::level::debug:
      return '7';
    default:
      return '6';
  }
}

// %N: the level as a syslog priority digit.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    dest.push_back(SyslogPriority(msg.level));
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

spdlog::level::level_enum Level(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kTrace:
      return spdlog::level::trace;
    case config::LogLevel::kDebug:
      return spdlog::level::debug;
    case config::LogLevel::kInfo:
      return spdlog::level::info;
    case config::LogLevel::kWarn:
      return spdlog::level::warn;
    case config::LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

std::unique_ptr<spdlog::formatter> MakeLogFormatter(config::LogFormat format, bool journal) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<EscapedMessageFlag>('q');
  formatter->add_flag<JsonMessageFlag>('j');
  formatter->add_flag<SyslogPriorityFlag>('N');
  formatter->add_flag<JsonFieldsFlag>('F');
  if (format == config::LogFormat::kJson) {
    formatter->set_pattern(journal ? R"(<%N>{"level":"%l","msg":%j%F})"
                                   : R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%j%F})");
  } else {
    formatter->set_pattern(journal ? "<%N>%q" : "%Y-%m-%d %H:%M:%S.%e %^%l%$ %q");
  }
  return formatter;
}

bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  struct stat st {};
  if (stream == nullptr || fstat(STDERR_FILENO, &st) != 0) return false;
  std::uintmax_t device = 0;
  std::uintmax_t inode = 0;
  char rest = 0;
  if (std::sscanf(stream, "%" SCNuMAX ":%" SCNuMAX "%c", &device, &inode, &rest) != 2) return false;
  return device == st.st_dev && inode == st.st_ino;
}

void SetupLogging(const config::Log& log) {
  auto logger =
      std::make_shared<spdlog::logger>("leadsync", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  spdlog::set_default_logger(logger);
  ApplyLogSettings(log);
}

void ApplyLogSettings(const config::Log& log) {
  spdlog::set_formatter(MakeLogFormatter(log.format, StderrIsJournal()));
  spdlog::set_level(Level(log.level));
  spdlog::flush_on(spdlog::level::trace);
}

}  // namespace leadsync::daemon
