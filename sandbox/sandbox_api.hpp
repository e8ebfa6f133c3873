#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema/lead_schema.hpp"
#include "sandbox/bulk_request.hpp"
#include "sandbox/fault.hpp"
#include "sandbox/lead_store.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/sliding_window.hpp"
#include "sandbox/value_history.hpp"

namespace leadsync {

// One HTTP request as the sandbox needs it (the server copies it out of Beast).
struct SandboxRequest {
  std::string method;             // "GET", "POST", ...
  std::string target;             // path and query, as sent
  std::string access_key_header;  // x-LSQ-AccessKey, empty when absent
  std::string secret_key_header;  // x-LSQ-SecretKey
  std::string host;               // Host header
  std::string body;
};

// The answer, or `drop`: close the connection with a reset instead.
struct SandboxReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds delay{0};  // wait this long before answering (or dropping)
  bool drop = false;
  std::optional<std::chrono::seconds> retry_after{};  // sent as Retry-After
  std::chrono::milliseconds outage{0};                // after answering, stop listening this long
};

// What /sandbox/state reports. "calls" counts every call that reached the
// bulk endpoint (answered or dropped), by_status their answers; connections
// counts only those that carried an API call (not /sandbox/ requests).
struct SandboxStats {
  std::uint64_t calls = 0;
  std::map<int, std::uint64_t> by_status;
  std::uint64_t connections = 0;
  std::uint64_t resets = 0;
  std::uint64_t limit_violations = 0;
  std::uint64_t refusals = 0;  // calls refused over the limit (or at random), in whatever form
  std::uint64_t answered = 0;  // calls whose answer was handed to the connection (after latency)
  std::uint64_t outages = 0;
  std::uint64_t metadata_calls = 0;           // LeadsMetaData.Get answered (any status)
  std::vector<std::size_t> records_per_call;  // of each call the rate limit accepted
  std::vector<std::size_t> bytes_per_call;    // the body of every call, in arrival order
};

// The emulated API and the /sandbox/ control paths, without any I/O: the
// server hands every request to Handle and sends back what it returns.
// `api_url` is what UserByAccessKey names as the API host (empty: built from
// the request's Host header). Not thread-safe.
class SandboxApi final {
 public:
  using Time = SlidingWindow::Time;

  SandboxApi(SandboxOptions options, std::string api_url);

  [[nodiscard]] SandboxReply Handle(const SandboxRequest& request, Time now);
  // Called when a connection carries its first API call.
  void CountConnection() { ++stats_.connections; }
  // Called when the answer to a bulk call leaves, after its latency: a test
  // that sees "answered" move knows the client has its answer (or soon will).
  void CountAnswer() { ++stats_.answered; }
  [[nodiscard]] static bool IsApiPath(std::string_view target);
  [[nodiscard]] static bool IsBulkCall(std::string_view method, std::string_view target);

 private:
  [[nodiscard]] SandboxReply HandleApi(const SandboxRequest& request, std::string_view path,
                                       std::string_view query, Time now);
  [[nodiscard]] SandboxReply HandleControl(const SandboxRequest& request, std::string_view path,
                                           std::string_view query);
  [[nodiscard]] SandboxReply Bulk(std::string_view body, const CallFaults& faults, Time now);
  [[nodiscard]] SandboxReply Apply(const std::vector<BulkRecord>& records);
  // The window that refuses a call arriving at `now` (the shortest for a
  // random refusal), or nullopt when it is accepted and counted.
  [[nodiscard]] std::optional<std::size_t> Refuses(Time now, bool throttle);
  [[nodiscard]] std::size_t ForeignCallsAt(Time now, std::chrono::milliseconds per) const;
  [[nodiscard]] SandboxReply Refusal(const SandboxRateLimit& limit);
  [[nodiscard]] bool Authorised(const SandboxRequest& request, std::string_view query) const;
  [[nodiscard]] bool Poisoned(const std::vector<BulkRecord>& records) const;
  [[nodiscard]] SandboxReply PoisonReply() const;
  [[nodiscard]] SandboxReply User(const SandboxRequest& request) const;
  [[nodiscard]] SandboxReply MetaData();
  // A 400 naming the first attribute the fields refuse, when check_fields is on.
  [[nodiscard]] std::optional<SandboxReply> FieldRefusal(const std::vector<BulkRecord>& records) const;
  [[nodiscard]] SandboxReply State() const;
  [[nodiscard]] SandboxReply Leads(std::string_view query) const;
  [[nodiscard]] SandboxReply History() const;
  [[nodiscard]] SandboxReply Outage(std::string_view query);
  void Reset();

  SandboxOptions options_;
  std::string api_url_;
  LeadSchema schema_;  // options_.fields, read once
  FaultInjector faults_;
  LeadStore store_;
  ValueHistory history_;
  struct Window {
    SandboxRateLimit limit;
    SlidingWindow accepted;
    SlidingWindow arrivals;
  };
  std::vector<Window> windows_;  // as configured, never empty
  SandboxStats stats_;
  std::optional<Time> started_;  // the first call: foreign calls start with it
};

}  // namespace leadsync
