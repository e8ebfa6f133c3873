#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace leadsync {

// How a poisoned record fails its call.
enum class PoisonMode {
  kBadRequest,   // 400, the whole call
  kMxException,  // 500 {"ExceptionType":"MXDuplicateEntryException", ...}
};

// "requests calls in any window of per", as a LeadSquared account counts.
struct SandboxRateLimit {
  int requests = 25;
  std::chrono::milliseconds per{5000};
};

// What the emulator accepts and which faults it injects. Probabilities are
// 0..1, drawn for every API call in arrival order; with `seed` set, the n-th
// call always gets the same faults and lead ids repeat (std::mt19937), else
// std::random_device seeds them.
struct SandboxOptions {
  std::string access_key = "sandbox-access-key";
  std::string secret_key = "sandbox-secret-key";
  std::chrono::milliseconds latency{0};         // added to every API answer
  std::chrono::milliseconds latency_jitter{0};  // plus uniform 0..jitter
  double error_rate = 0;                        // 500 without an MX exception (transient)
  double throttle_rate = 0;                     // a refusal although under the limit (noise)
  double reset_rate = 0;                        // connection closed (RST) instead of an answer
  // Accepted bulk calls per window, every window at once (a short limit and
  // a daily cap); a refusal states the window it is over.
  std::vector<SandboxRateLimit> rate_limits{SandboxRateLimit{}};
  // false: never refuse for the limit, only count limit_violations.
  bool enforce_rate_limit = true;
  // How a refusal is answered: real accounts use 429, 403, or 200 with the
  // MXAPIRateLimitExceededException object in place of the rows. Given more
  // than one, refusals take them in turn.
  std::vector<int> throttle_statuses{429};
  std::optional<std::chrono::seconds> refusal_retry_after;  // a Retry-After header on refusals
  // Another client on the same keys: this many calls per `foreign_per`,
  // evenly spread, sharing the window with ours.
  int foreign_calls = 0;
  std::chrono::milliseconds foreign_per{0};
  std::string poison;  // a record whose JSON contains this text fails its call
  PoisonMode poison_mode = PoisonMode::kBadRequest;
  std::optional<std::uint32_t> seed;
  // Record the values this attribute takes, per lead and in arrival order
  // (GET /sandbox/history); empty: off.
  std::string track;
  // The account's lead fields, served by LeadsMetaData.Get: a JSON array in
  // that call's own form (SchemaName, DataType, IsMandatory, MaxLength,
  // Options); empty: the default set (sandbox/default_fields.hpp). The
  // constructor throws std::runtime_error when it cannot be read.
  std::string fields;
  // Answer a bulk call 400 (MXInvalidInputException naming the attribute)
  // when a record names an attribute not among `fields`, gives a Select a
  // value not among its options, or a value over its MaxLength. Off by
  // default: the default set is for reading, not a cage for every test.
  bool check_fields = false;
  std::chrono::milliseconds read_timeout{30'000};  // idle keep-alive and slow request bodies
  std::size_t body_limit = 8 * 1024 * 1024;
  std::size_t max_connections = 512;  // beyond it a new connection replaces the longest idle one
};

// An in-process emulator of LeadSquared's bulk API over plain HTTP/1.1, for
// tests and `leadsync sandbox`:
//   POST /v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate  (auth by headers or query)
//   GET  /v2/Authentication.svc/UserByAccessKey.Get
//   GET  /v2/LeadManagement.svc/LeadsMetaData.Get  (SandboxOptions::fields)
//   GET  /sandbox/state, GET /sandbox/leads[?key=EMAIL|PHONE], GET /sandbox/history,
//   POST /sandbox/reset, POST /sandbox/outage?ms=N  (no auth)
// Leads live in memory. An outage closes the listener and every connection
// not being answered, then listens again on the same port after N ms: the
// API is down (connections refused) and comes back with its leads. The constructor binds `listen`
// ("HOST:PORT" as net::ParseListen reads it, port 0 picks a free one) and starts serving on `io` with
// net::HttpServer; it throws std::runtime_error ("cannot listen on ...") when the address is bad or taken.
// Everything runs on the io_context's one thread, without locks: call Stop() and destroy the object on that
// thread, or after the io_context has stopped.
class Sandbox final {
 public:
  Sandbox(boost::asio::io_context& io, const std::string& listen, const SandboxOptions& options = {});
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  // "127.0.0.1:PORT": the bound address.
  [[nodiscard]] std::string address() const;

  // Stops accepting and closes every open connection.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync
