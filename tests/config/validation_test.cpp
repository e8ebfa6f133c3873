// Errors in leadsquared, queue, metrics, log and the top level: each message
// with its exact line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.hpp"
#include "tests/config/config_test_util.hpp"

namespace leadsync::config {
namespace {

using test_docs::Errors;
using test_docs::Load;
using test_docs::MinimalWith;
using ::testing::ElementsAre;

// Errors of a document with `extra` inside leadsquared from line 5 on.
std::vector<std::string> LeadSquaredErrors(std::string_view extra) {
  return Errors(Load(test_docs::LeadSquaredWith(extra)));
}

// Errors of a document whose queue section is `queue` (lines 1.. of it at 5..).
std::vector<std::string> QueueErrors(std::string_view queue) {
  return Errors(Load(test_docs::LeadSquaredHead() + std::string(queue) +
                     "sources: [{ name: s, type: spool, path: /s }]\n"));
}

// Errors of a document whose api_host (line 2, value at column 13) is `host`.
std::vector<std::string> ApiHostErrors(std::string_view host) {
  return Errors(Load("leadsquared:\n  api_host: " + std::string(host) +
                     "\n  access_key: ak\n  secret_key: sk\nqueue: { path: /q }\n"
                     "sources: [{ name: s, type: spool, path: /s }]\n"));
}

TEST(ConfigValidation, AMisspeltKeyNamesTheClosestKnownOne) {
  EXPECT_THAT(QueueErrors("queue:\n  path: /q\n  histroy: 7d\n"),
              ElementsAre("7:3: unknown key 'histroy' in queue; did you mean 'history'?"));
  EXPECT_THAT(LeadSquaredErrors("batchsize: 10"),
              ElementsAre("5:3: unknown key 'batchsize' in leadsquared; did you mean 'batch_size'?"));
  EXPECT_THAT(Errors(Load(MinimalWith("sorces: []\n"))),
              ElementsAre("11:1: unknown key 'sorces' at the top level; did you mean 'sources'?"));
}

TEST(ConfigValidation, UnknownKeysAreNamedWithTheirSection) {
  EXPECT_THAT(LeadSquaredErrors("foo: 1"), ElementsAre("5:3: unknown key 'foo' in leadsquared"));
  EXPECT_THAT(LeadSquaredErrors("rate_limit: { requests: 5, burst: 2 }"),
              ElementsAre("5:30: unknown key 'burst' in leadsquared.rate_limit"));
  EXPECT_THAT(LeadSquaredErrors("retry:\n  jitter: full"),
              ElementsAre("6:5: unknown key 'jitter' in leadsquared.retry"));
  EXPECT_THAT(QueueErrors("queue:\n  path: /q\n  wal: true\n"),
              ElementsAre("7:3: unknown key 'wal' in queue"));
  EXPECT_THAT(Errors(Load(MinimalWith("metrics: { listen: '127.0.0.1:1', path: /m }\n"))),
              ElementsAre("11:35: unknown key 'path' in metrics"));
  EXPECT_THAT(Errors(Load(MinimalWith("log: { colour: true }\n"))),
              ElementsAre("11:8: unknown key 'colour' in log"));
  EXPECT_THAT(Errors(Load(MinimalWith("extra: 1\n"))),
              ElementsAre("11:1: unknown key 'extra' at the top level"));
}

TEST(ConfigValidation, DuplicateKeyIsReportedAtTheSecond) {
  EXPECT_THAT(LeadSquaredErrors("batch_size: 5\nbatch_size: 6"),
              ElementsAre("6:3: duplicate key 'batch_size' in leadsquared"));
}

TEST(ConfigValidation, WrongTypesNameWhatWasExpected) {
  EXPECT_THAT(LeadSquaredErrors("batch_size: abc"),
              ElementsAre("5:15: batch_size: expected an integer, got 'abc'"));
  EXPECT_THAT(LeadSquaredErrors("batch_size: 2.5"),
              ElementsAre("5:15: batch_size: expected an integer, got '2.5'"));
  EXPECT_THAT(LeadSquaredErrors("batch_size: [1]"),
              ElementsAre("5:15: batch_size: expected an integer, got a list"));
  EXPECT_THAT(LeadSquaredErrors("batch_size:"),
              ElementsAre("5:3: batch_size: expected an integer, got an empty value"));
  EXPECT_THAT(LeadSquaredErrors("tls_verify: yes"),
              ElementsAre("5:15: tls_verify: expected true or false, got 'yes'"));
  EXPECT_THAT(LeadSquaredErrors("linger: { ms: 5 }"),
              ElementsAre("5:11: linger: expected a duration, got a map"));
  EXPECT_THAT(LeadSquaredErrors("rate_limit: 25/5s"),
              ElementsAre("5:15: rate_limit: expected a map, got '25/5s'"));
  EXPECT_THAT(LeadSquaredErrors("rate_limit: []"),
              ElementsAre("5:15: rate_limit: expected a window or a list of windows, got an empty list"));
  EXPECT_THAT(LeadSquaredErrors("rate_limit: [ { requests: 5, per: 5s }, { requests: 0, per: 5s } ]"),
              ElementsAre("5:43: rate_limit[1].per: a window of this length is already listed",
                          "5:55: rate_limit[1].requests: must be at least 1, got 0"));
  EXPECT_THAT(QueueErrors("queue: /q.db\n"), ElementsAre("5:8: queue: expected a map, got '/q.db'"));
  EXPECT_THAT(QueueErrors("queue:\n  path: { a: b }\n"),
              ElementsAre("6:9: path: expected a string, got a map"));
  EXPECT_THAT(QueueErrors("queue:\n  path: ''\n"), ElementsAre("6:9: path: must not be empty"));
}

TEST(ConfigValidation, BatchSizeMustBeOneToTwentyFive) {
  EXPECT_THAT(LeadSquaredErrors("batch_size: 0"),
              ElementsAre("5:15: batch_size: must be between 1 and 25, got 0"));
  EXPECT_THAT(LeadSquaredErrors("batch_size: 26"),
              ElementsAre("5:15: batch_size: must be between 1 and 25, got 26"));
  EXPECT_THAT(LeadSquaredErrors("batch_size: -1"),
              ElementsAre("5:15: batch_size: must be between 1 and 25, got -1"));
  EXPECT_THAT(LeadSquaredErrors("batch_size: 99999999999999999999"),
              ElementsAre("5:15: batch_size: must be between 1 and 25, got 99999999999999999999"));
  EXPECT_THAT(LeadSquaredErrors("batch_size: 1"), ElementsAre());
  EXPECT_THAT(LeadSquaredErrors("batch_size: 25"), ElementsAre());
}

TEST(ConfigValidation, MaxInFlightMustBeOneToSixtyFour) {
  EXPECT_THAT(LeadSquaredErrors("max_in_flight: 0"),
              ElementsAre("5:18: max_in_flight: must be between 1 and 64, got 0"));
  EXPECT_THAT(LeadSquaredErrors("max_in_flight: 65"),
              ElementsAre("5:18: max_in_flight: must be between 1 and 64, got 65"));
  EXPECT_THAT(LeadSquaredErrors("max_in_flight: 64"), ElementsAre());
}

TEST(ConfigValidation, RateLimitNeedsAtLeastOneRequestPerPositiveWindow) {
  EXPECT_THAT(LeadSquaredErrors("rate_limit: { requests: 0, per: 0s }"),
              ElementsAre("5:27: rate_limit.requests: must be at least 1, got 0",
                          "5:35: rate_limit.per: must be greater than 0, got '0s'"));
  EXPECT_THAT(LeadSquaredErrors("rate_limit:\n  requests: 1\n  per: -5s"),
              ElementsAre("7:10: rate_limit.per: must not be negative, got '-5s'"));
  EXPECT_THAT(LeadSquaredErrors("rate_limit:\n  requests: many"),
              ElementsAre("6:15: rate_limit.requests: expected an integer, got 'many'"));
}

TEST(ConfigValidation, DurationsMustBeWellFormedAndNotNegative) {
  EXPECT_THAT(LeadSquaredErrors("linger: -5s"), ElementsAre("5:11: linger: must not be negative, got '-5s'"));
  EXPECT_THAT(LeadSquaredErrors("linger: 5"),
              ElementsAre("5:11: linger: a unit is required (ms, s, m, h or d), as in '5s', got '5'"));
  EXPECT_THAT(LeadSquaredErrors("linger: soon"),
              ElementsAre("5:11: linger: expected a duration such as 250ms, 5s, 2m, 24h or 14d, got 'soon'"));
  EXPECT_THAT(LeadSquaredErrors("linger: 0s"), ElementsAre());
  EXPECT_THAT(LeadSquaredErrors("request_timeout: 0s"),
              ElementsAre("5:20: request_timeout: must be greater than 0, got '0s'"));
  EXPECT_THAT(LeadSquaredErrors("pause_probe: 0ms"),
              ElementsAre("5:16: pause_probe: must be greater than 0, got '0ms'"));
  EXPECT_THAT(QueueErrors("queue:\n  path: /q\n  history: -1d\n"),
              ElementsAre("7:12: history: must not be negative, got '-1d'"));
  EXPECT_THAT(
      Errors(Load(MinimalWith("shutdown_timeout: 30\n"))),
      ElementsAre("11:19: shutdown_timeout: a unit is required (ms, s, m, h or d), as in '5s', got '30'"));
  EXPECT_THAT(Errors(Load(MinimalWith("shutdown_timeout: -1s\n"))),
              ElementsAre("11:19: shutdown_timeout: must not be negative, got '-1s'"));
}

TEST(ConfigValidation, RetryBackoffsArePositiveAndOrdered) {
  EXPECT_THAT(LeadSquaredErrors("retry: { initial_backoff: 0s, max_backoff: 1s, max_record_age: -1s }"),
              ElementsAre("5:29: retry.initial_backoff: must be greater than 0, got '0s'",
                          "5:66: retry.max_record_age: must not be negative, got '-1s'"));
  EXPECT_THAT(LeadSquaredErrors("retry: { initial_backoff: 10s, max_backoff: 5s }"),
              ElementsAre("5:47: retry.max_backoff: must not be less than retry.initial_backoff"));
  EXPECT_THAT(LeadSquaredErrors("retry: { initial_backoff: 2m }"),
              ElementsAre("5:29: retry.initial_backoff: must not be more than retry.max_backoff (set both)"));
}

TEST(ConfigValidation, EnumValuesAreListed) {
  EXPECT_THAT(LeadSquaredErrors("auth: cookie"),
              ElementsAre("5:9: auth: expected headers or query, got 'cookie'"));
  EXPECT_THAT(QueueErrors("queue:\n  path: /q\n  sync: off\n"),
              ElementsAre("7:9: sync: expected full or normal, got 'off'"));
  EXPECT_THAT(Errors(Load(MinimalWith("log:\n  level: verbose\n  format: xml\n"))),
              ElementsAre("12:10: level: expected trace, debug, info, warn or error, got 'verbose'",
                          "13:11: format: expected text or json, got 'xml'"));
}

TEST(ConfigValidation, ApiHostMustBeSchemeHostAndPort) {
  EXPECT_THAT(ApiHostErrors("https://api-in21.leadsquared.com"), ElementsAre());
  EXPECT_THAT(ApiHostErrors("http://127.0.0.1:8080"), ElementsAre());
  EXPECT_THAT(ApiHostErrors("api.leadsquared.com"),
              ElementsAre("2:13: api_host: expected scheme://host[:port], got 'api.leadsquared.com'"));
  EXPECT_THAT(
      ApiHostErrors("ftp://api.leadsquared.com"),
      ElementsAre("2:13: api_host: the scheme must be http or https, got 'ftp://api.leadsquared.com'"));
  EXPECT_THAT(ApiHostErrors("https://api.leadsquared.com/v2"),
              ElementsAre("2:13: api_host: a path is not allowed, got 'https://api.leadsquared.com/v2'"));
  EXPECT_THAT(ApiHostErrors("https://api.leadsquared.com:99999"),
              ElementsAre("2:13: api_host: the port must be a number from 1 to 65535, "
                          "got 'https://api.leadsquared.com:99999'"));
}

TEST(ConfigValidation, MetricsListenMustBeHostAndPort) {
  EXPECT_THAT(Errors(Load(MinimalWith("metrics:\n  listen: 9464\n"))),
              ElementsAre("12:11: listen: the port is missing (expected HOST:PORT), got '9464'"));
}

TEST(ConfigValidation, MaxPendingMustBePositive) {
  EXPECT_THAT(QueueErrors("queue:\n  path: /q\n  max_pending: 0\n"),
              ElementsAre("7:16: max_pending: must be at least 1, got 0"));
}

TEST(ConfigValidation, RequiredKeysAreReportedWhereTheyBelong) {
  EXPECT_THAT(Errors(Load("leadsquared:\n  auth: query\nqueue:\n  sync: full\n"
                          "sources: [{ name: s, type: spool, path: /s }]\n")),
              ElementsAre("1:1: missing required key 'api_host' in leadsquared",
                          "1:1: missing required key 'access_key' or 'access_key_file' in leadsquared",
                          "1:1: missing required key 'secret_key' or 'secret_key_file' in leadsquared",
                          "3:1: missing required key 'path' in queue"));
  EXPECT_THAT(Errors(Load(test_docs::LeadSquaredHead() + "queue: { path: /q }\n")),
              ElementsAre("1:1: missing required key 'sources'"));
}

TEST(ConfigValidation, AtLeastOneSourceIsRequired) {
  const std::string head = test_docs::LeadSquaredHead() + "queue: { path: /q }\n";
  EXPECT_THAT(Errors(Load(head + "sources: []\n")),
              ElementsAre("6:10: sources: at least one source is required"));
  EXPECT_THAT(Errors(Load(head + "sources:\n")),
              ElementsAre("6:1: sources: at least one source is required"));
  EXPECT_THAT(Errors(Load(head + "sources: { name: s }\n")),
              ElementsAre("6:10: sources: expected a list of sources, got a map"));
}

}  // namespace
}  // namespace leadsync::config
