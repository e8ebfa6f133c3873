#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

// Plain, validated settings: what config/loader.hpp makes of the YAML file.
// Every default here is the one docs/configuration.md documents.
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
enum class ValueType { kText, kNumber, kBoolean, kDate, kDateTime, kPhone };
enum class EmptyValues { kSkip, kClear };
enum class SourcePriority { kLow, kNormal, kHigh };
enum class Validate { kOff, kWarn, kReject };

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

// leadsquared.max_request_bytes: LeadSquared publishes no body limit; 4 MiB
// keeps a full batch of ordinary records far under it and bounds the memory
// of max_in_flight calls.
inline constexpr std::uint64_t kDefaultMaxRequestBytes = std::uint64_t{4} * 1024 * 1024;

struct LeadSquared {
  std::string api_host;  // scheme://host[:port]
  AuthMode auth = AuthMode::kHeaders;
  std::string access_key;  // secret
  std::string secret_key;  // secret
  int batch_size = 25;     // 1..25
  std::uint64_t max_request_bytes = kDefaultMaxRequestBytes;
  Duration linger = 500ms;
  std::vector<RateLimit> rate_limit{RateLimit{}};  // one per window length, shortest first
  int max_in_flight = 8;
  Duration request_timeout = 30s;
  Retry retry;
  Duration pause_probe = 60s;
  bool tls_verify = true;
  Validate validate = Validate::kWarn;  // the account's schema at ingest
  bool operator==(const LeadSquared&) const = default;
};

struct Queue {
  std::filesystem::path path;
  SyncMode sync = SyncMode::kFull;
  std::int64_t max_pending = 10'000'000;
  Duration history = std::chrono::hours(14 * 24);                // 0: journal off
  Duration dead_letter_retention = std::chrono::hours(30 * 24);  // 0: kept forever
  bool operator==(const Queue&) const = default;
};

// Spool: files dropped in a directory, each ingested whole.
struct SpoolSettings {
  std::filesystem::path path;
  Format format = Format::kAuto;
  AfterIngest after = AfterIngest::kMove;
  std::uint64_t max_file_size = std::uint64_t{1024} * 1024 * 1024;  // larger files are skipped
  bool create = false;  // create `path` when missing; otherwise a missing one is a config error
  bool operator==(const SpoolSettings&) const = default;
};

// Tail: one append-only file followed across rotation.
struct TailSettings {
  std::filesystem::path path;
  Format format = Format::kAuto;  // auto, csv or jsonl
  StartAt start_at = StartAt::kBeginning;
  bool operator==(const TailSettings&) const = default;
};

// Postgres: incremental pull by cursor.
struct PostgresSettings {
  std::string dsn;  // secret
  std::string query;
  std::vector<std::string> cursor;
  std::string cursor_start = "-infinity";
  Duration cursor_delay = 0s;
  Duration interval = 10s;
  std::uint64_t max_page_bytes = std::uint64_t{8} * 1024 * 1024;  // a poll stops reading rows past it
  bool operator==(const PostgresSettings&) const = default;
};

// Webhook: POST /v1/leads.
struct WebhookSettings {
  std::string listen;
  std::string token;                           // secret
  std::string token_header = "Authorization";  // "Authorization" means "Bearer TOKEN"
  std::uint64_t max_body = std::uint64_t{1024} * 1024;
  std::filesystem::path tls_cert_file;  // both set: HTTPS
  std::filesystem::path tls_key_file;
  // Their contents (PEM), read with the config like a secret file: a reload
  // after a certificate renewal sees changed settings and restarts the source.
  std::string tls_certificate;
  std::string tls_key;  // secret
  bool operator==(const WebhookSettings&) const = default;
};

// How a `fields` entry converts the values of its column or key (its
// attribute is in Source::fields).
struct Conversion {
  ValueType type = ValueType::kText;
  std::string format;    // date, datetime: strptime-like ("" = %Y-%m-%d, %Y-%m-%d %H:%M:%S)
  std::string timezone;  // datetime: a tz database name ("" = UTC)
  std::string country;   // phone: "+91", for numbers written without one ("" = none)
  bool operator==(const Conversion&) const = default;
};

// One source: what every type shares, and the settings of its type (the
// variant's alternatives are in SourceType order).
struct Source {
  std::string name;
  std::optional<std::string> search_by;
  // The mapping. `fields` holds every entry that names an attribute (a
  // rename, or the `to` of a conversion); `drop` the entries given as drop.
  std::map<std::string, std::string> fields;      // column or key -> attribute
  std::set<std::string> drop;                     // columns or keys left out
  std::map<std::string, Conversion> conversions;  // column or key -> its conversion (type not text)
  std::map<std::string, std::string> constants;   // attribute -> value for records that have none
  EmptyValues empty = EmptyValues::kSkip;         // an empty cell or null: left out, or sent to clear
  // Where the source's records stand when a batch is filled.
  SourcePriority priority = SourcePriority::kNormal;
  std::uint64_t max_line_length = std::uint64_t{1024} * 1024;  // bytes of one record's text
  int max_attributes = 1000;                                   // attributes of one record
  std::variant<SpoolSettings, TailSettings, PostgresSettings, WebhookSettings> settings;

  [[nodiscard]] SourceType type() const { return static_cast<SourceType>(settings.index()); }
  template <class T>
  [[nodiscard]] const T* As() const {
    return std::get_if<T>(&settings);
  }
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
