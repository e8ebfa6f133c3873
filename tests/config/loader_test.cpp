#include "config/loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "tests/config/config_test_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::config {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;
using test_docs::Errors;
using test_docs::FakeEnv;
using test_docs::Load;
using test_docs::MinimalWith;

TEST(LoadConfig, MinimalConfigGetsTheDocumentedDefaults) {
  const LoadResult result = Load(MinimalWith());
  ASSERT_THAT(Errors(result), ElementsAre());
  const Config& config = *result.config;
  EXPECT_EQ(config.leadsquared.api_host, "https://api.leadsquared.com");
  EXPECT_EQ(config.leadsquared.auth, AuthMode::kHeaders);
  EXPECT_EQ(config.leadsquared.batch_size, 25);
  EXPECT_EQ(config.leadsquared.linger, 500ms);
  EXPECT_EQ(config.leadsquared.rate_limit, (std::vector<RateLimit>{{25, 5s}}));
  EXPECT_EQ(config.leadsquared.max_in_flight, 8);
  EXPECT_EQ(config.leadsquared.request_timeout, 30s);
  EXPECT_EQ(config.leadsquared.retry, (Retry{1s, 60s, 0s}));
  EXPECT_EQ(config.leadsquared.pause_probe, 60s);
  EXPECT_TRUE(config.leadsquared.tls_verify);
  EXPECT_EQ(config.queue.sync, SyncMode::kFull);
  EXPECT_EQ(config.queue.max_pending, 10'000'000);
  EXPECT_EQ(config.queue.history, std::chrono::hours(14 * 24));
  EXPECT_EQ(config.metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(config.log.level, LogLevel::kInfo);
  EXPECT_EQ(config.log.format, LogFormat::kText);
  EXPECT_EQ(config.shutdown_timeout, 30s);
}

TEST(LoadConfig, ReadsEveryNonSourceKey) {
  const LoadResult result = Load(
      "leadsquared:\n"
      "  api_host: http://127.0.0.1:8080\n"
      "  auth: query\n  access_key: ak\n  secret_key: sk\n"
      "  batch_size: 10\n  linger: 250ms\n"
      "  rate_limit:\n    requests: 5\n    per: 1s\n"
      "  max_in_flight: 64\n  request_timeout: 2m\n"
      "  retry:\n    initial_backoff: 250ms\n    max_backoff: 2m\n    max_record_age: 24h\n"
      "  pause_probe: 5s\n  tls_verify: false\n"
      "queue: { path: /q.db, sync: normal, max_pending: 1, history: 0s }\n"
      "sources: [{ name: s, type: spool, path: /spool }]\n"
      "metrics: { listen: '[::1]:0' }\n"
      "log: { level: trace, format: json }\n"
      "shutdown_timeout: 0s\n");
  ASSERT_THAT(Errors(result), ElementsAre());
  const Config& config = *result.config;
  EXPECT_EQ(config.leadsquared.api_host, "http://127.0.0.1:8080");
  EXPECT_EQ(config.leadsquared.auth, AuthMode::kQuery);
  EXPECT_EQ(config.leadsquared.access_key, "ak");
  EXPECT_EQ(config.leadsquared.secret_key, "sk");
  EXPECT_EQ(config.leadsquared.batch_size, 10);
  EXPECT_EQ(config.leadsquared.linger, 250ms);
  EXPECT_EQ(config.leadsquared.rate_limit, (std::vector<RateLimit>{{5, 1s}}));
  EXPECT_EQ(config.leadsquared.max_in_flight, 64);
  EXPECT_EQ(config.leadsquared.request_timeout, 2min);
  EXPECT_EQ(config.leadsquared.retry, (Retry{250ms, 2min, 24h}));
  EXPECT_EQ(config.leadsquared.pause_probe, 5s);
  EXPECT_FALSE(config.leadsquared.tls_verify);
  EXPECT_EQ(config.queue, (Queue{"/q.db", SyncMode::kNormal, 1, 0s}));
  EXPECT_EQ(config.metrics.listen, "[::1]:0");
  EXPECT_EQ(config.log, (Log{LogLevel::kTrace, LogFormat::kJson}));
  EXPECT_EQ(config.shutdown_timeout, 0s);
}

TEST(LoadConfig, AcceptsRateLimitAndRetryAsFlowMaps) {
  const LoadResult result = test_docs::Load(
      test_docs::LeadSquaredWith("rate_limit: { requests: 2, per: 5s }\nretry: { initial_backoff: 1s, "
                                 "max_backoff: 1s, max_record_age: 0s }"));
  ASSERT_THAT(Errors(result), ElementsAre());
  EXPECT_EQ(result.config->leadsquared.rate_limit, (std::vector<RateLimit>{{2, 5s}}));
  EXPECT_EQ(result.config->leadsquared.retry, (Retry{1s, 1s, 0s}));
}

TEST(LoadConfig, AcceptsSeveralRateLimitWindowsShortestFirst) {
  const LoadResult result = test_docs::Load(
      test_docs::LeadSquaredWith("rate_limit: [ { requests: 10000, per: 24h }, { requests: 5, per: 5s } ]"));
  ASSERT_THAT(Errors(result), ElementsAre());
  EXPECT_EQ(result.config->leadsquared.rate_limit, (std::vector<RateLimit>{{5, 5s}, {10000, 24h}}));
}

TEST(LoadConfig, EmptySectionsKeepTheirDefaults) {
  const LoadResult result = Load(MinimalWith("metrics:\nlog:\n"));
  ASSERT_THAT(Errors(result), ElementsAre());
  EXPECT_EQ(result.config->metrics, Metrics{});
  EXPECT_EQ(result.config->log, Log{});
}

TEST(LoadConfig, ExampleFileLoadsWithoutErrors) {
  const std::filesystem::path file = LEADSYNC_SOURCE_DIR "/config/leadsync.example.yaml";
  const LoadResult result = LoadConfig(file, FakeEnv());
  ASSERT_THAT(Errors(result), ElementsAre());
  const Config& config = *result.config;
  const std::filesystem::path dir = std::filesystem::absolute(file).parent_path();
  EXPECT_EQ(config.file, file);
  EXPECT_EQ(config.leadsquared.api_host, "http://127.0.0.1:8080");
  EXPECT_EQ(config.leadsquared.access_key, "sandbox-access-key");
  EXPECT_EQ(config.leadsquared.secret_key, "sandbox-secret-key");
  EXPECT_EQ(config.leadsquared.rate_limit, (std::vector<RateLimit>{{5, 5s}, {10000, 24h}}))
      << "what a Pro account accepts";
  EXPECT_EQ(config.queue.path, (dir / "var/queue.db").lexically_normal());
  ASSERT_EQ(config.sources.size(), 1u);
  EXPECT_EQ(config.sources[0].name, "samples");
  EXPECT_EQ(config.sources[0].type(), SourceType::kSpool);
  EXPECT_EQ(std::get<SpoolSettings>(config.sources[0].settings).path, (dir / "var/spool").lexically_normal());
  EXPECT_EQ(config.metrics.listen, "127.0.0.1:9464");
}

TEST(LoadConfig, RecordsTheFileItWasLoadedFrom) {
  const leadsync::testing::TempDir dir;
  const std::filesystem::path file = dir / "leadsync.yaml";
  leadsync::testing::WriteFile(file, MinimalWith());
  const LoadResult result = LoadConfig(file, FakeEnv());
  ASSERT_THAT(Errors(result), ElementsAre());
  EXPECT_EQ(result.config->file, file);
  EXPECT_EQ(Load(MinimalWith()).config->file, test_docs::kFileName);
}

TEST(LoadConfig, ResolvesRelativePathsAgainstTheConfigDirectory) {
  const leadsync::testing::TempDir dir;
  const std::filesystem::path file = dir / "etc/leadsync.yaml";
  leadsync::testing::WriteFile(file, test_docs::LeadSquaredHead() +
                                         "queue: { path: ./var/queue.db }\n"
                                         "sources:\n"
                                         "  - { name: a, type: spool, path: spool/a }\n"
                                         "  - { name: b, type: tail, path: ../log/b.jsonl }\n"
                                         "  - { name: c, type: tail, path: /abs/c.csv }\n");
  const LoadResult result = LoadConfig(file, FakeEnv());
  ASSERT_THAT(Errors(result), ElementsAre());
  EXPECT_EQ(result.config->queue.path, dir.path() / "etc/var/queue.db");
  EXPECT_EQ(std::get<SpoolSettings>(result.config->sources[0].settings).path, dir.path() / "etc/spool/a");
  EXPECT_EQ(std::get<TailSettings>(result.config->sources[1].settings).path, dir.path() / "log/b.jsonl");
  EXPECT_EQ(std::get<TailSettings>(result.config->sources[2].settings).path, "/abs/c.csv");
}

TEST(LoadConfig, UnreadableFileIsOneErrorWithTheOsReason) {
  const leadsync::testing::TempDir dir;
  const std::filesystem::path missing = dir / "missing.yaml";
  const LoadResult result = LoadConfig(missing, FakeEnv());
  EXPECT_FALSE(result.config.has_value());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].ToString(), missing.string() + ": cannot read: No such file or directory");
  EXPECT_EQ(LoadConfig(dir.path(), FakeEnv()).errors.at(0).message, "cannot read: Is a directory");
}

TEST(LoadConfig, SyntaxErrorIsOneErrorAtYamlCppsMark) {
  const LoadResult result = Load("leadsquared:\n  api_host: [a, b\nqueue: {}\n");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_THAT(Errors(result), ElementsAre("3:6: end of sequence flow not found"));
}

TEST(LoadConfig, EmptyDocumentLacksEveryRequiredSection) {
  EXPECT_THAT(Errors(Load("")),
              ElementsAre("1:1: missing required key 'leadsquared'", "1:1: missing required key 'queue'",
                          "1:1: missing required key 'sources'"));
}

TEST(LoadConfig, TopLevelMustBeAMap) {
  EXPECT_THAT(Errors(Load("- a\n- b\n")), ElementsAre("1:1: the top level: expected a map, got a list"));
  EXPECT_THAT(Errors(Load("hello\n")), ElementsAre("1:1: the top level: expected a map, got 'hello'"));
}

TEST(LoadConfig, ReportsAllErrorsInFileOrder) {
  const LoadResult result = Load(
      "sources:\n"
      "  - { name: s, type: spool, path: /s, format: xml }\n"
      "queue:\n"
      "  path: /q.db\n"
      "  sync: sometimes\n"
      "leadsquared:\n"
      "  batch_size: 0\n"
      "  api_host: https://api.leadsquared.com\n"
      "  access_key: ak\n"
      "  secret_key: sk\n"
      "  linger: 5\n");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_THAT(Errors(result),
              ElementsAre("2:47: format: expected auto, csv, jsonl or json, got 'xml'",
                          "5:9: sync: expected full or normal, got 'sometimes'",
                          "7:15: batch_size: must be between 1 and 25, got 0",
                          "11:11: linger: a unit is required (ms, s, m, h or d), as in '5s', got '5'"));
}

TEST(LoadConfig, ErrorToStringIsFileLineColumnMessage) {
  const ConfigError error{"/etc/leadsync.yaml", 3, 7, "batch_size: expected an integer, got 'abc'"};
  EXPECT_EQ(error.ToString(), "/etc/leadsync.yaml:3:7: batch_size: expected an integer, got 'abc'");
}

TEST(LoadConfig, ProcessEnvironmentReadsTheRealEnvironment) {
  ::setenv("LEADSYNC_CONFIG_TEST_VARIABLE", "value", 1);
  const EnvLookup env = ProcessEnvironment();
  EXPECT_EQ(env("LEADSYNC_CONFIG_TEST_VARIABLE"), "value");
  ::unsetenv("LEADSYNC_CONFIG_TEST_VARIABLE");
  EXPECT_EQ(env("LEADSYNC_CONFIG_TEST_VARIABLE"), std::nullopt);
}

TEST(LoadConfig, AMissingSpoolDirectoryIsAnErrorAtItsPathWhenTheHostIsChecked) {
  const leadsync::testing::TempDir dir;
  const std::string spool = (dir / "spooll").string();
  leadsync::testing::WriteFile(dir / "leadsync.yaml",
                               test_docs::LeadSquaredHead() +  // 1-4
                                   "queue: { path: /q.db }\n"  // 5
                                   "sources:\n"                // 6
                                   "  - name: s\n"             // 7
                                   "    type: spool\n"         // 8
                                   "    path: " +
                                   spool + "\n");  // 9
  const auto load = [&](HostCheck host) {
    return LoadConfig(dir / "leadsync.yaml", FakeEnv(), SecretHandling::kRead, host);
  };
  // LINE:COL: message of each error.
  const auto placed = [](const LoadResult& result) {
    std::vector<std::string> out;
    for (const ConfigError& e : result.errors)
      out.push_back(std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message);
    return out;
  };
  EXPECT_THAT(placed(load(HostCheck::kCheck)),
              ElementsAre("9:11: path: the spool directory '" + spool +
                          "' does not exist (create it, or set create: true)"));
  EXPECT_THAT(placed(load(HostCheck::kSkip)), ElementsAre()) << "inspection commands need no spool";

  leadsync::testing::WriteFile(dir / "leadsync.yaml",
                               leadsync::testing::ReadFile(dir / "leadsync.yaml") + "    create: true\n");
  EXPECT_THAT(placed(load(HostCheck::kCheck)), ElementsAre());
  EXPECT_TRUE(load(HostCheck::kCheck).config->sources.at(0).As<SpoolSettings>()->create);

  std::filesystem::remove(dir / "leadsync.yaml");
  leadsync::testing::WriteFile(dir / "spooll", "a file");
  leadsync::testing::WriteFile(dir / "leadsync.yaml", test_docs::LeadSquaredHead() +
                                                          "queue: { path: /q.db }\nsources:\n  - name: s\n"
                                                          "    type: spool\n    path: " +
                                                          spool + "\n");
  EXPECT_THAT(placed(load(HostCheck::kCheck)),
              ElementsAre("9:11: path: the spool directory '" + spool + "' is not a directory"));
}

}  // namespace
}  // namespace leadsync::config
