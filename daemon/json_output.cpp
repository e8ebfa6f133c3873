#include "daemon/json_output.hpp"

#include <fmt/chrono.h>

#include <boost/json.hpp>
#include <cmath>

#include "daemon/escape.hpp"
#include "daemon/rate_window_use.hpp"

namespace leadsync::daemon {
namespace json = boost::json;

namespace {

// Stored text as a JSON string; bytes that are not UTF-8 (a file name, a
// CSV cell) would make the whole output invalid JSON.
json::string Text(std::string_view text) { return json::string(RepairUtf8(text)); }

// A stored record is the lead as API pairs; a line rejected before it could
// be read is kept as the text it was.
json::value Record(const std::string& text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec) return Text(text);
  return parsed;
}

// The output as text for a terminal: the encoder copies C1 and bidirectional
// controls raw, which a terminal would act on.
std::string Serialize(json::value out) { return EscapeJsonForDisplay(json::serialize(out)); }

// Whole seconds as integers: Boost.JSON writes every double with an
// exponent, the double 0 as "0E0".
json::value Seconds(double seconds) {
  const double whole = std::trunc(seconds);
  if (whole == seconds && std::abs(whole) < 9e15) return json::value(static_cast<std::int64_t>(whole));
  return json::value(seconds);
}

json::value AgeSeconds(const std::optional<TimePoint>& oldest, TimePoint now) {
  if (!oldest) return json::value(std::int64_t{0});
  return Seconds(std::chrono::duration<double>(now - *oldest).count());
}

// The backlog by priority: {"high": {"pending", "oldest_age_seconds",
// "drain_seconds"}, ...}.
json::object PrioritiesJson(const PriorityBacklogs& backlogs,
                            const std::array<std::optional<double>, 3>& drain, TimePoint now) {
  json::object out;
  for (Priority priority : kPriorities) {
    const auto index = static_cast<std::size_t>(PriorityValue(priority));
    json::value seconds = drain[index] ? Seconds(*drain[index]) : json::value(nullptr);
    out[PriorityName(priority)] = {{"pending", backlogs[index].records},
                                   {"oldest_age_seconds", AgeSeconds(backlogs[index].oldest, now)},
                                   {"drain_seconds", std::move(seconds)}};
  }
  return out;
}

}  // namespace

std::string IsoTime(TimePoint t) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(t);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", seconds, (t - seconds).count());
}

namespace {

// Each window's use; "full_until" is when the next call may start in a
// full one (null while it has room).
json::array RateWindowsJson(const std::vector<WindowUse>& windows, TimePoint now) {
  json::array out;
  for (const WindowUse& w : windows) {
    json::value full_until = w.next_free > now ? json::value(IsoTime(w.next_free)) : json::value(nullptr);
    out.push_back(json::object{{"window", WindowLabel(w.per)},
                               {"calls", w.calls},
                               {"limit", w.limit},
                               {"full_until", std::move(full_until)}});
  }
  return out;
}

}  // namespace

std::string StatsJson(const QueueStats& stats, const std::map<std::string, SourceStatus>& sources,
                      const std::array<std::optional<double>, 3>& drain,
                      const std::vector<WindowUse>& windows, TimePoint now) {
  json::object by_name;
  for (const auto& [name, status] : sources) {
    json::value checkpoint = status.checkpoint ? json::value(Text(*status.checkpoint)) : json::value(nullptr);
    by_name[RepairUtf8(name)] = {{"checkpoint", std::move(checkpoint)}, {"ingested", status.ingested}};
  }
  json::object out{{"pending", stats.pending},
                   {"in_flight", stats.in_flight},
                   {"dead_letter", stats.dead_letter},
                   {"oldest_age_seconds", AgeSeconds(stats.oldest, now)},
                   {"sources", std::move(by_name)},
                   {"priorities", PrioritiesJson(stats.priorities, drain, now)},
                   {"rate_limit", RateWindowsJson(windows, now)}};
  return Serialize(std::move(out));
}

std::string DeadLettersJson(const std::vector<DeadLetterEntry>& entries) {
  json::array out;
  for (const DeadLetterEntry& e : entries) {
    json::object o{{"id", e.id},
                   {"key", Text(e.key)},
                   {"source", Text(e.source)},
                   {"reason", Text(e.reason)},
                   {"status", nullptr},
                   {"exception_type", Text(e.exception_type)},
                   {"message", Text(e.message)},
                   {"attempts", e.attempts},
                   {"first_seen", IsoTime(e.first_seen)},
                   {"dead_lettered_at", IsoTime(e.dead_lettered_at)},
                   {"record", Record(e.record)}};
    if (e.status) o["status"] = *e.status;
    out.push_back(std::move(o));
  }
  return Serialize(std::move(out));
}

std::string HistoryJson(const std::vector<HistoryEntry>& entries) {
  json::array out;
  for (const HistoryEntry& e : entries) {
    out.push_back(json::object{{"at", IsoTime(e.at)},
                               {"status", e.status},
                               {"lead_id", Text(e.lead_id)},
                               {"created", e.created},
                               {"updated", e.updated},
                               {"attributes", Record(e.attributes)},
                               {"message", Text(e.message)}});
  }
  return Serialize(std::move(out));
}

}  // namespace leadsync::daemon
