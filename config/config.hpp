#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

// Plain, validated settings: what config/loader.hpp makes of the YAML file.
// Every default here is the one DESIGN.md documents.
namespace leadsync::config {

using Duration = std::chrono::milliseconds;
using namespace std::chrono_literals;

enum class AuthMode { kHeaders, kQuery };
enum class SyncMode { kFull, kNormal };
enum class SourceType { kSpool, kTail, kPostgres, kWebhook };
enum class Format { kAuto, kCsv, kJsonl, kJson };
enum class AfterIngest { kMove, kDelete };
enum class StartAt { kBeginning, kEnd };
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };
enum class LogFormat { kText, kJson };

struct RateLimit {
  int requests = 25;
  Duration per = 5s;
  bool operator==(const RateLimit&) const = default;
};

struct Retry {
  Duration initial_backoff = 1s;
  Duration max_backoff = 60s;
  Duration max_record_age = 0s;  // 0: never give up
  bool operator==(const Retry&) const = default;
};

struct LeadSquared {
  std::string api_host;  // scheme://host[:port]
  AuthMode auth = AuthMode::kHeaders;
  std::string access_key;  // secret
  std::string secret_key;  // secret
  int batch_size = 25;     // 1..25
  Duration linger = 500ms;
  RateLimit rate_limit;
  int max_in_flight = 8;
  Duration request_timeout = 30s;
  Retry retry;
  Duration pause_probe = 60s;
  bool tls_verify = true;
  bool operator==(const LeadSquared&) const = default;
};

struct Queue {
  std::filesystem::path path;
  SyncMode sync = SyncMode::kFull;
  std::int64_t max_pending = 10'000'000;
  Duration history = std::chrono::hours(14 * 24);  // 0: journal off
  bool operator==(const Queue&) const = default;
};

// One source; which members matter depends on `type`.
struct Source {
  std::string name;
  SourceType type = SourceType::kSpool;
  // spool, tail
  std::filesystem::path path;
  Format format = Format::kAuto;
  AfterIngest after = AfterIngest::kMove;
  StartAt start_at = StartAt::kBeginning;
  // spool, tail, postgres, webhook
  std::optional<std::string> search_by;
  std::map<std::string, std::string> fields;  // column or key -> attribute
  // postgres
  std::string dsn;  // secret
  std::string query;
  std::vector<std::string> cursor;
  std::string cursor_start = "-infinity";
  Duration cursor_delay = 0s;
  Duration interval = 10s;
  // webhook
  std::string listen;
  std::string token;  // secret
  std::uint64_t max_body = std::uint64_t{1024} * 1024;
  bool operator==(const Source&) const = default;
};

struct Metrics {
  std::string listen = "127.0.0.1:9464";
  bool operator==(const Metrics&) const = default;
};

struct Log {
  LogLevel level = LogLevel::kInfo;
  LogFormat format = LogFormat::kText;
  bool operator==(const Log&) const = default;
};

struct Config {
  std::filesystem::path file;  // where it was loaded from
  LeadSquared leadsquared;
  Queue queue;
  std::vector<Source> sources;
  Metrics metrics;
  Log log;
  Duration shutdown_timeout = 30s;
  bool operator==(const Config&) const = default;
};

}  // namespace leadsync::config
