#include "sandbox/sandbox_api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "core/schema/schema_check.hpp"
#include "sandbox/default_fields.hpp"
#include "sandbox/sandbox_json.hpp"

namespace leadsync {
namespace {

constexpr std::string_view kBulkPath = "/v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate";
constexpr std::string_view kUserPath = "/v2/Authentication.svc/UserByAccessKey.Get";
constexpr std::string_view kMetaDataPath = "/v2/LeadManagement.svc/LeadsMetaData.Get";
constexpr std::size_t kMaxRecords = 25;

LeadSchema ReadFields(std::string& text) {
  if (text.empty()) text = DefaultSandboxFields();
  std::string error;
  std::optional<LeadSchema> schema = ParseLeadSchema(text, &error);
  if (!schema) throw std::runtime_error("sandbox fields: " + error);
  return std::move(*schema);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool escape = text[i] == '%' && i + 2 < text.size();
    const int high = escape ? HexValue(text[i + 1]) : -1;
    const int low = escape ? HexValue(text[i + 2]) : -1;
    if (high >= 0 && low >= 0) {
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i] == '+' ? ' ' : text[i]);
    }
  }
  return out;
}

// The decoded value of `name` in "a=1&b=2", empty when absent.
std::string QueryValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const auto eq = item.find('=');
    if (UrlDecode(item.substr(0, eq)) == name)
      return eq == std::string_view::npos ? "" : UrlDecode(item.substr(eq + 1));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return {};
}

SandboxReply Reply(int status, std::string body) { return SandboxReply{status, std::move(body)}; }

SandboxReply NotFound() { return SandboxReply{404, "Not Found\n", "text/plain"}; }

}  // namespace

SandboxApi::SandboxApi(SandboxOptions options, std::string api_url)
    : options_(std::move(options)),
      api_url_(std::move(api_url)),
      schema_(ReadFields(options_.fields)),
      faults_(options_),
      store_(faults_.id_generator()),
      history_(options_.track) {
  if (options_.rate_limits.empty()) options_.rate_limits.emplace_back();
  for (const SandboxRateLimit& limit : options_.rate_limits)
    windows_.push_back({limit, SlidingWindow(limit.per), SlidingWindow(limit.per)});
}

bool SandboxApi::IsApiPath(std::string_view target) { return !target.starts_with("/sandbox/"); }

bool SandboxApi::IsBulkCall(std::string_view method, std::string_view target) {
  return method == "POST" && target.substr(0, target.find('?')) == kBulkPath;
}

SandboxReply SandboxApi::Handle(const SandboxRequest& request, Time now) {
  const std::string_view target = request.target;
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? "" : target.substr(question + 1);
  SandboxReply reply =
      IsApiPath(path) ? HandleApi(request, path, query, now) : HandleControl(request, path, query);
  // The path only: the query may carry the keys.
  spdlog::debug("sandbox: {} {} -> {}", request.method, path,
                reply.drop ? "dropped" : std::to_string(reply.status));
  return reply;
}

SandboxReply SandboxApi::HandleApi(const SandboxRequest& request, std::string_view path,
                                   std::string_view query, Time now) {
  const bool bulk = path == kBulkPath && request.method == "POST";
  const bool get = request.method == "GET" && (path == kUserPath || path == kMetaDataPath);
  if (!bulk && !get) return NotFound();
  if (bulk) {
    if (!started_) started_ = now;
    ++stats_.calls;
    stats_.bytes_per_call.push_back(request.body.size());
    for (Window& w : windows_) w.arrivals.Add(now);
  }
  const CallFaults faults = faults_.Next();
  SandboxReply reply;
  if (faults.drop) {
    ++stats_.resets;
    reply.drop = true;
  } else if (!Authorised(request, query)) {
    reply = Reply(401, ErrorJson("MXInvalidAPIAccessKeyException", "Invalid API access key or secret key"));
  } else {
    reply = bulk ? Bulk(request.body, faults, now) : path == kUserPath ? User(request) : MetaData();
  }
  if (bulk && !reply.drop) ++stats_.by_status[reply.status];
  reply.delay = faults.latency;
  return reply;
}

bool SandboxApi::Authorised(const SandboxRequest& request, std::string_view query) const {
  if (!request.access_key_header.empty() || !request.secret_key_header.empty()) {
    return request.access_key_header == options_.access_key &&
           request.secret_key_header == options_.secret_key;
  }
  return QueryValue(query, "accessKey") == options_.access_key &&
         QueryValue(query, "secretKey") == options_.secret_key;
}

// Another client's calls, one every foreign_per / foreign_calls, from one
// window before the first call (it was already running): the window of
// length `per` ending at `now` holds those of (now - per, now].
std::size_t SandboxApi::ForeignCallsAt(Time now, std::chrono::milliseconds per) const {
  if (options_.foreign_calls <= 0 || options_.foreign_per.count() <= 0) return 0;
  const auto spacing =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.foreign_per) / options_.foreign_calls;
  const Time origin = started_.value_or(now) - per;
  const auto index = [&](Time t) { return t <= origin ? 0 : (t - origin) / spacing; };
  return static_cast<std::size_t>(index(now) - index(now - per));
}

// LeadSquared counts the calls it accepts; a refused call does not use up a window.
std::optional<std::size_t> SandboxApi::Refuses(Time now, bool throttle) {
  std::optional<std::size_t> full;
  for (std::size_t i = 0; i < windows_.size() && !full; ++i) {
    Window& w = windows_[i];
    const auto limit = static_cast<std::size_t>(w.limit.requests);
    if (w.accepted.CountAt(now) + ForeignCallsAt(now, w.limit.per) >= limit) full = i;
  }
  if (full && options_.enforce_rate_limit) return full;
  if (throttle) return 0;
  if (full) ++stats_.limit_violations;
  for (Window& w : windows_) w.accepted.Add(now);
  return std::nullopt;
}

// The refusal in the form this account uses, always stating the limit of
// the window it is over, as LeadSquared words it.
SandboxReply SandboxApi::Refusal(const SandboxRateLimit& limit) {
  const std::vector<int>& forms = options_.throttle_statuses;
  const int status = forms.empty() ? 429 : forms[stats_.refusals % forms.size()];
  ++stats_.refusals;
  SandboxReply reply =
      Reply(status, ErrorJson("MXAPIRateLimitExceededException",
                              "API calls exceeded the limit of " + std::to_string(limit.requests) + " in " +
                                  std::to_string(limit.per.count() / 1000) + " second(s)"));
  reply.retry_after = options_.refusal_retry_after;
  return reply;
}

SandboxReply SandboxApi::Bulk(std::string_view body, const CallFaults& faults, Time now) {
  if (const auto refusing = Refuses(now, faults.throttle)) return Refusal(windows_[*refusing].limit);
  std::string error;
  const auto records = ParseBulkRequest(body, &error);
  if (!records) return Reply(400, ErrorJson("MXInvalidInputException", error));
  stats_.records_per_call.push_back(records->size());
  if (records->empty() || records->size() > kMaxRecords) {
    return Reply(400, ErrorJson("MXInvalidInputException",
                                "A call takes 1 to 25 records, got " + std::to_string(records->size())));
  }
  if (faults.server_error) return Reply(500, ErrorJson("InternalServerError", "injected server error"));
  if (Poisoned(*records)) return PoisonReply();
  if (std::optional<SandboxReply> refusal = FieldRefusal(*records)) return *refusal;
  return Apply(*records);
}

SandboxReply SandboxApi::Apply(const std::vector<BulkRecord>& records) {
  std::vector<ApplyResult> results;
  results.reserve(records.size());
  for (const BulkRecord& record : records) {
    results.push_back(store_.Apply(record.lead));
    if (!results.back().lead_id.empty()) history_.Record(results.back().lead_id, record.lead);
  }
  return Reply(200, RowsJson(results));
}

bool SandboxApi::Poisoned(const std::vector<BulkRecord>& records) const {
  return !options_.poison.empty() &&
         std::any_of(records.begin(), records.end(), [&](const BulkRecord& record) {
           return record.json.find(options_.poison) != std::string::npos;
         });
}

SandboxReply SandboxApi::PoisonReply() const {
  if (options_.poison_mode == PoisonMode::kMxException) {
    return Reply(
        500, ErrorJson("MXDuplicateEntryException",
                       "A Lead with the same unique field value already exists (" + options_.poison + ")"));
  }
  return Reply(400,
               ErrorJson("MXInvalidInputException", "Invalid value in a record (" + options_.poison + ")"));
}

SandboxReply SandboxApi::User(const SandboxRequest& request) const {
  return Reply(200, UserJson(api_url_.empty() ? "http://" + request.host : api_url_));
}

SandboxReply SandboxApi::MetaData() {
  ++stats_.metadata_calls;
  return Reply(200, options_.fields);
}

// What LeadSquared answers for an unknown attribute or a wrong Select value
// is not documented anywhere we found: a 400 with an MX exception naming the
// attribute, the form of the sandbox's other 400s (docs/api-behaviour.md).
std::optional<SandboxReply> SandboxApi::FieldRefusal(const std::vector<BulkRecord>& records) const {
  if (!options_.check_fields) return std::nullopt;
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (const Attribute& attribute : records[i].lead.attributes()) {
      if (std::optional<SchemaProblem> problem = CheckAttribute(attribute, schema_)) {
        return Reply(400, ErrorJson("MXInvalidInputException",
                                    "Record " + std::to_string(i + 1) + ": " + problem->message));
      }
    }
  }
  return std::nullopt;
}

SandboxReply SandboxApi::HandleControl(const SandboxRequest& request, std::string_view path,
                                       std::string_view query) {
  if (request.method == "GET" && path == "/sandbox/state") return State();
  if (request.method == "GET" && path == "/sandbox/leads") return Leads(query);
  if (request.method == "GET" && path == "/sandbox/history") return History();
  if (request.method == "POST" && path == "/sandbox/outage") return Outage(query);
  if (request.method == "POST" && path == "/sandbox/reset") {
    Reset();
    return Reply(200, R"({"reset":true})");
  }
  return NotFound();
}

SandboxReply SandboxApi::State() const {
  std::vector<WindowPeaks> peaks;
  for (const Window& w : windows_)
    peaks.push_back({w.accepted.max(), w.arrivals.max(), w.limit.requests, w.limit.per});
  return Reply(200, StateJson(stats_, peaks, store_.leads().size()));
}

SandboxReply SandboxApi::Leads(std::string_view query) const {
  const std::string key = QueryValue(query, "key");
  if (key.empty()) return Reply(200, LeadsJson(store_.leads()));
  const StoredLead* lead = store_.Find(key);
  return lead == nullptr ? Reply(404, ErrorJson("MXLeadNotFoundException", "No lead with key " + key))
                         : Reply(200, LeadJson(*lead));
}

SandboxReply SandboxApi::History() const { return Reply(200, HistoryJson(store_.leads(), history_)); }

SandboxReply SandboxApi::Outage(std::string_view query) {
  const std::string text = QueryValue(query, "ms");
  long ms = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (error != std::errc() || end != text.data() + text.size() || ms <= 0) {
    return Reply(400, ErrorJson("MXInvalidInputException", "outage takes ms=N, N > 0"));
  }
  ++stats_.outages;
  SandboxReply reply = Reply(200, R"({"outage_ms":)" + std::to_string(ms) + "}");
  reply.outage = std::chrono::milliseconds(ms);
  return reply;
}

void SandboxApi::Reset() {
  store_.Clear();
  history_.Clear();
  for (Window& w : windows_) {
    w.accepted.Clear();
    w.arrivals.Clear();
  }
  stats_ = SandboxStats{};
  started_.reset();
}

}  // namespace leadsync
