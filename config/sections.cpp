#include "config/sections.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include "config/secrets.hpp"
#include "config/values.hpp"
#include "core/net/address.hpp"

namespace leadsync::config {
namespace {

constexpr std::int64_t kNoMax = std::numeric_limits<std::int64_t>::max();

constexpr std::array<Choice<AuthMode>, 2> kAuthModes{
    {{"headers", AuthMode::kHeaders}, {"query", AuthMode::kQuery}}};
constexpr std::array<Choice<Validate>, 3> kValidateModes{
    {{"off", Validate::kOff}, {"warn", Validate::kWarn}, {"reject", Validate::kReject}}};
constexpr std::array<Choice<SyncMode>, 2> kSyncModes{
    {{"full", SyncMode::kFull}, {"normal", SyncMode::kNormal}}};
constexpr std::array<Choice<LogFormat>, 2> kLogFormats{
    {{"text", LogFormat::kText}, {"json", LogFormat::kJson}}};
constexpr std::array<Choice<LogLevel>, 5> kLogLevels{{
    {"trace", LogLevel::kTrace},
    {"debug", LogLevel::kDebug},
    {"info", LogLevel::kInfo},
    {"warn", LogLevel::kWarn},
    {"error", LogLevel::kError},
}};

RateLimit ReadRateWindow(LoadContext& context, const Entry& entry, const std::string& name) {
  MapReader map(context, entry, "leadsquared." + name, name + ".");
  RateLimit out;
  Get(map, "requests", out.requests, IntRange{1, kNoMax});
  Get(map, "per", out.per, DurationRule::kPositive);
  map.ReportUnknown();
  return out;
}

// One window (a map) or several (a list of maps, each window length once),
// kept shortest first.
std::vector<RateLimit> ReadRateLimit(LoadContext& context, const Entry& entry) {
  if (!entry.value.IsSequence()) return {ReadRateWindow(context, entry, "rate_limit")};
  if (entry.value.size() == 0) {
    context.Error(entry.ValueMark(), "rate_limit: expected a window or a list of windows, got an empty list");
    return {RateLimit{}};
  }
  std::vector<RateLimit> out;
  for (const YAML::Node& item : entry.value) {
    const std::string name = "rate_limit[" + std::to_string(out.size()) + "]";
    const RateLimit window = ReadRateWindow(context, Entry{name, item, item.Mark()}, name);
    const bool repeated =
        std::any_of(out.begin(), out.end(), [&](const RateLimit& w) { return w.per == window.per; });
    if (repeated) context.Error(item.Mark(), name + ".per: a window of this length is already listed");
    out.push_back(window);
  }
  std::sort(out.begin(), out.end(), [](const RateLimit& a, const RateLimit& b) { return a.per < b.per; });
  return out;
}

std::optional<Duration> TakeDuration(MapReader& map, std::string_view key, std::optional<Entry>& entry) {
  entry = map.Take(key);
  if (!entry) return std::nullopt;
  return ReadDuration(map.Context(), *entry, DurationRule::kPositive);
}

Retry ReadRetry(LoadContext& context, const Entry& entry) {
  MapReader map(context, entry, "leadsquared.retry", "retry.");
  Retry out;
  std::optional<Entry> initial_entry;
  std::optional<Entry> max_entry;
  const std::optional<Duration> initial = TakeDuration(map, "initial_backoff", initial_entry);
  const std::optional<Duration> max = TakeDuration(map, "max_backoff", max_entry);
  out.initial_backoff = initial.value_or(out.initial_backoff);
  out.max_backoff = max.value_or(out.max_backoff);
  Get(map, "max_record_age", out.max_record_age, DurationRule::kNonNegative);
  map.ReportUnknown();
  const bool both_valid = (initial || !initial_entry) && (max || !max_entry);
  if (!both_valid || out.max_backoff >= out.initial_backoff) return out;
  if (max_entry) {
    context.Error(max_entry->ValueMark(), "retry.max_backoff: must not be less than retry.initial_backoff");
  } else {
    context.Error(initial_entry->ValueMark(),
                  "retry.initial_backoff: must not be more than retry.max_backoff (set both)");
  }
  return out;
}

// Settings under which the keys and every lead leave this machine readable
// by whoever is on the path: plain http, or TLS without verification.
void WarnIfKeysExposed(LoadContext& context, const LeadSquared& settings,
                       const std::optional<Entry>& api_host, const std::optional<Entry>& tls_verify) {
  const std::optional<net::ApiHost> host = net::ParseApiHost(settings.api_host);
  if (!host || net::IsLoopbackHost(host->host)) return;
  if (!host->tls && api_host) {
    context.Warn(api_host->ValueMark(), "api_host: http:// to '" + host->host +
                                            "' sends the keys and every lead in clear over the network; "
                                            "use https://");
  }
  if (host->tls && !settings.tls_verify && tls_verify) {
    context.Warn(tls_verify->ValueMark(), "tls_verify: false accepts any certificate for '" + host->host +
                                              "', so whoever is on the path can read the keys and every "
                                              "lead; remove it (true is the default)");
  }
}

}  // namespace

LeadSquared ReadLeadSquared(LoadContext& context, const Entry& entry) {
  MapReader map(context, entry, "leadsquared");
  LeadSquared out;
  const std::optional<Entry> api_host = map.Peek("api_host");
  const std::optional<Entry> tls_verify = map.Peek("tls_verify");
  GetChecked(map, "api_host", out.api_host, net::CheckApiHost, Presence::kRequired);
  Get(map, "auth", out.auth, kAuthModes);
  GetSecret(map, "access_key", out.access_key);
  GetSecret(map, "secret_key", out.secret_key);
  Get(map, "batch_size", out.batch_size, IntRange{1, 25});
  GetByteSize(map, "max_request_bytes", out.max_request_bytes);
  Get(map, "linger", out.linger, DurationRule::kNonNegative);
  if (const std::optional<Entry> rate_limit = map.Take("rate_limit"))
    out.rate_limit = ReadRateLimit(context, *rate_limit);
  Get(map, "max_in_flight", out.max_in_flight, IntRange{1, 64});
  Get(map, "request_timeout", out.request_timeout, DurationRule::kPositive);
  if (const std::optional<Entry> retry = map.Take("retry")) out.retry = ReadRetry(context, *retry);
  Get(map, "pause_probe", out.pause_probe, DurationRule::kPositive);
  Get(map, "tls_verify", out.tls_verify);
  Get(map, "validate", out.validate, kValidateModes);
  map.ReportUnknown();
  WarnIfKeysExposed(context, out, api_host, tls_verify);
  return out;
}

Queue ReadQueue(LoadContext& context, const Entry& entry) {
  MapReader map(context, entry, "queue");
  Queue out;
  GetPath(map, "path", out.path, Presence::kRequired);
  Get(map, "sync", out.sync, kSyncModes);
  Get(map, "max_pending", out.max_pending, IntRange{1, kNoMax});
  Get(map, "history", out.history, DurationRule::kNonNegative);
  Get(map, "dead_letter_retention", out.dead_letter_retention, DurationRule::kNonNegative);
  map.ReportUnknown();
  return out;
}

Metrics ReadMetrics(LoadContext& context, const Entry& entry) {
  MapReader map(context, entry, "metrics");
  Metrics out;
  GetChecked(map, "listen", out.listen, net::CheckListen, Presence::kOptional);
  map.ReportUnknown();
  return out;
}

Log ReadLog(LoadContext& context, const Entry& entry) {
  MapReader map(context, entry, "log");
  Log out;
  Get(map, "level", out.level, kLogLevels);
  Get(map, "format", out.format, kLogFormats);
  map.ReportUnknown();
  return out;
}

}  // namespace leadsync::config
