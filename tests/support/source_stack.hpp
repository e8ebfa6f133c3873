#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "tests/support/temp_dir.hpp"

// Helpers for integration tests of the file sources through the real binary.
namespace leadsync::testing {

struct SourcesConfig {
  std::string api_host = "http://127.0.0.1:1";  // nothing listens: records stay pending
  std::string sources{};                        // the items under `sources:`, indented two spaces
  std::string queue_extra{};                    // lines under `queue:`, indented two spaces
  std::filesystem::path queue_path{};           // default: `dir`/queue.db
  std::uint16_t metrics_port = 0;
  // The lines under `leadsquared:` after the host and keys: by default a
  // limit fast enough for tests.
  std::string leadsquared =
      "  linger: 20ms\n  rate_limit: { requests: 1000, per: 1s }\n"
      "  retry: { initial_backoff: 100ms, max_backoff: 1s }\n";
};

// `dir`/leadsync.yaml for a daemon with these sources and the queue at
// `dir`/queue.db unless queue_path says otherwise (sync: normal).
std::filesystem::path WriteSourcesConfig(const TempDir& dir, const SourcesConfig& config);

// What `leadsync queue stats --json` says.
struct QueueView {
  std::int64_t pending = -1;
  std::int64_t in_flight = -1;
  std::int64_t dead_letter = -1;
  std::map<std::string, std::int64_t> ingested;   // by source
  std::map<std::string, std::string> checkpoint;  // by source
};
[[nodiscard]] QueueView QueueStats(const std::filesystem::path& config);

// The sum of the samples of `name` whose labels include `labels` (e.g.
// R"(source="spool")") in GET /metrics on `port`; nullopt when unreachable.
[[nodiscard]] std::optional<double> MetricValue(std::uint16_t port, const std::string& name,
                                                const std::string& labels = "");

}  // namespace leadsync::testing
