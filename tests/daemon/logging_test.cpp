#include "daemon/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "core/log_fields.hpp"

namespace leadsync::daemon {
namespace {

// What one record looks like through the formatter SetupLogging installs.
std::string Formatted(config::LogFormat format, bool journal, spdlog::level::level_enum level,
                      const std::string& message) {
  std::ostringstream out;
  spdlog::logger logger("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  logger.set_formatter(MakeLogFormatter(format, journal));
  logger.set_level(spdlog::level::trace);
  logger.log(level, "{}", message);
  return out.str();
}

TEST(LogFormat, JournalLinesStartWithTheSyslogPriority) {
  using config::LogFormat;
  EXPECT_EQ(Formatted(LogFormat::kText, true, spdlog::level::critical, "down"), "<2>down\n");
  EXPECT_EQ(Formatted(LogFormat::kText, true, spdlog::level::err, "paused"), "<3>paused\n");
  EXPECT_EQ(Formatted(LogFormat::kText, true, spdlog::level::warn, "a.csv:2: no key"),
            "<4>a.csv:2: no key\n");
  EXPECT_EQ(Formatted(LogFormat::kText, true, spdlog::level::info, "running"), "<6>running\n");
  EXPECT_EQ(Formatted(LogFormat::kText, true, spdlog::level::debug, "batch"), "<7>batch\n");
  EXPECT_EQ(Formatted(LogFormat::kJson, true, spdlog::level::warn, "x"),
            "<4>{\"level\":\"warning\",\"msg\":\"x\"}\n");
}

TEST(LogFormat, TerminalLinesCarryTimeAndLevel) {
  const std::string line = Formatted(config::LogFormat::kText, false, spdlog::level::warn, "a.csv:2: no key");
  EXPECT_TRUE(line.ends_with(" warning a.csv:2: no key\n")) << line;
  EXPECT_EQ(line.rfind("20", 0), 0u) << line;
}

TEST(LogFormat, AMessageIsOneEscapedLineInTextAndJson) {
  const std::string forged = "x.csv\n2099-01-01 00:00:00.000 critical forged\x1b[2J";
  for (bool journal : {false, true}) {
    const std::string text = Formatted(config::LogFormat::kText, journal, spdlog::level::warn, forged);
    EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
    EXPECT_NE(text.find(R"(x.csv\n2099-01-01 00:00:00.000 critical forged\x1b[2J)"), std::string::npos)
        << text;
  }
  const std::string json = Formatted(config::LogFormat::kJson, false, spdlog::level::warn, forged + " \xff");
  EXPECT_EQ(json.find('\n'), json.size() - 1) << json;
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);  // validates UTF-8 too
  ASSERT_FALSE(ec) << json;
  EXPECT_EQ(value.at("msg").as_string(), R"(x.csv\n2099-01-01 00:00:00.000 critical forged\x1b[2J \xff)");
}

// One line through LogWithFields and the default logger, as the daemon logs.
std::string FormattedWithFields(config::LogFormat format, std::vector<LogField> fields) {
  std::ostringstream out;
  const auto previous = spdlog::default_logger();
  auto logger =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  logger->set_formatter(MakeLogFormatter(format, false));
  spdlog::set_default_logger(logger);
  LogWithFields(spdlog::level::info, std::move(fields), "batch of 3 records: 200 in 12 ms");
  spdlog::set_default_logger(previous);
  return out.str();
}

TEST(LogFormat, JsonLinesCarryTheLineFieldsEscaped) {
  const std::string json = FormattedWithFields(config::LogFormat::kJson,
                                               {{"source", "sign\nups\xff"}, {"records", std::int64_t{3}}});
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  ASSERT_FALSE(ec) << json;
  EXPECT_EQ(value.at("msg").as_string(), "batch of 3 records: 200 in 12 ms");
  EXPECT_EQ(value.at("source").as_string(), R"(sign\nups\xff)");
  EXPECT_EQ(value.at("records").as_int64(), 3);

  const std::string text = FormattedWithFields(config::LogFormat::kText, {{"source", "signups"}});
  EXPECT_TRUE(text.ends_with(" info batch of 3 records: 200 in 12 ms\n")) << "the message says it: " << text;
}

}  // namespace
}  // namespace leadsync::daemon
