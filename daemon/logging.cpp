#include "daemon/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cstdlib>

namespace leadsync::daemon {
namespace {

// %j: the message as a JSON string literal, quotes included.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string quoted =
        boost::json::serialize(boost::json::string(std::string_view(msg.payload.data(), msg.payload.size())));
    dest.append(quoted.data(), quoted.data() + quoted.size());
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
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

std::unique_ptr<spdlog::formatter> Formatter(config::LogFormat format) {
  const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == config::LogFormat::kJson) {
    formatter->add_flag<JsonMessageFlag>('j');
    formatter->set_pattern(journal ? R"({"level":"%l","msg":%j})"
                                   : R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%j})");
  } else {
    formatter->set_pattern(journal ? "<%l> %v" : "%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  return formatter;
}

}  // namespace

void SetupLogging(const config::Log& log) {
  auto logger =
      std::make_shared<spdlog::logger>("leadsync", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  spdlog::set_default_logger(logger);
  ApplyLogSettings(log);
}

void ApplyLogSettings(const config::Log& log) {
  spdlog::set_formatter(Formatter(log.format));
  spdlog::set_level(Level(log.level));
  spdlog::flush_on(spdlog::level::trace);
}

}  // namespace leadsync::daemon
