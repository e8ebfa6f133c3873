#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace leadsync {

class Metrics;

// Why the daemon is not ready ("queue closed", "dispatch paused: 401 ..."),
// or nullopt when it is. Called on the server's executor for each /readyz.
using ReadinessProbe = std::function<std::optional<std::string>()>;

// The daemon's HTTP/1.1 endpoint for operators and Prometheus, on the
// daemon's own event loop (`metrics.listen`):
//   GET /metrics  200, text exposition format 0.0.4 (Metrics::Serialize)
//   GET /healthz  200 "ok" while the process serves (503 with a reason from
//                 the health probe, e.g. a stalled queue thread)
//   GET /readyz   200 "ready", or 503 with the reason `not_ready_reason` gives
//   other paths   404; any method but GET: 405; a request with a body
//                 (Content-Length over 0, any Transfer-Encoding): 413
// A refusal closes its connection, before any body is read.
// Served by net::HttpServer (core/net/http_server.hpp): at most
// kMaxConnections open, the one longest without progress (idle, or not
// reading its answers) giving way to a new one, so a flood of idle or
// non-reading connections neither exhausts descriptors nor silences
// /healthz; an idle keep-alive connection closes after 5 s, a request must
// arrive within 10 s, an answer be taken within 10 s. Dropped connections
// count in leadsync_http_connections_dropped_total{server="metrics"}.
//
// Ownership: borrows `metrics` (read for /metrics, counted into for drops)
// and the executor's execution context, which must both outlive the server. Thread-safety: Start() before the
// loop runs or on its thread; Stop() from any thread. All I/O and the readiness callback run on `executor`.
class MetricsServer final {
 public:
  static constexpr std::size_t kMaxConnections = 256;

  // `listen` is "HOST:PORT" ("[::1]:9464" for IPv6); port 0 picks a free one.
  MetricsServer(boost::asio::any_io_executor executor, std::string listen, Metrics& metrics,
                ReadinessProbe not_ready_reason);
  MetricsServer(boost::asio::io_context& io, std::string listen, Metrics& metrics,
                ReadinessProbe not_ready_reason);
  // Stops the server if still running.
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // /healthz answers 503 with the reason this gives (nullopt: 200 "ok").
  // Call before Start().
  void SetHealthProbe(ReadinessProbe unhealthy_reason);

  // Binds and starts accepting. Throws std::runtime_error naming the
  // setting, e.g. "metrics.listen 127.0.0.1:9464: address already in use".
  void Start();

  // Closes the listening socket and every open connection, so the event
  // loop runs out of work. Idempotent; takes effect on the executor.
  void Stop();

  // The bound port, valid after Start() (the chosen one when asked for 0).
  [[nodiscard]] std::uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync
