#include "tests/support/source_stack.hpp"

#include <boost/json.hpp>
#include <sstream>

#include "tests/support/http.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace json = boost::json;

std::filesystem::path WriteSourcesConfig(const TempDir& dir, const SourcesConfig& config) {
  const std::string yaml =
      "leadsquared:\n  api_host: " + config.api_host +
      "\n  access_key: sandbox-access-key\n  secret_key: sandbox-secret-key\n" + config.leadsquared +
      "queue:\n  path: " + (config.queue_path.empty() ? dir / "queue.db" : config.queue_path).string() +
      "\n  sync: normal\n" + config.queue_extra + "sources:\n" + config.sources +
      "metrics:\n  listen: 127.0.0.1:" + std::to_string(config.metrics_port) +
      "\nlog:\n  level: debug\nshutdown_timeout: 5s\n";
  const auto path = dir / "leadsync.yaml";
  WriteFile(path, yaml);
  return path;
}

QueueView QueueStats(const std::filesystem::path& config) {
  QueueView view;
  const RunResult result = Leadsync({"queue", "-c", config.string(), "stats", "--json"});
  if (result.exit_code != 0) return view;
  boost::system::error_code error;
  const json::value stats = json::parse(result.out, error);
  if (error || !stats.is_object()) return view;
  view.pending = stats.at("pending").to_number<std::int64_t>();
  view.in_flight = stats.at("in_flight").to_number<std::int64_t>();
  view.dead_letter = stats.at("dead_letter").to_number<std::int64_t>();
  for (const auto& [name, source] : stats.at("sources").as_object()) {
    view.ingested[std::string(name)] = source.at("ingested").to_number<std::int64_t>();
    if (const auto* checkpoint = source.as_object().if_contains("checkpoint");
        checkpoint && checkpoint->is_string()) {
      view.checkpoint[std::string(name)] = std::string(checkpoint->as_string());
    }
  }
  return view;
}

std::optional<double> MetricValue(std::uint16_t port, const std::string& name, const std::string& labels) {
  const HttpResult response = HttpRequest(port, "GET", "/metrics");
  if (response.status != 200) return std::nullopt;
  std::istringstream lines(response.body);
  double sum = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(name) || line.size() <= name.size()) continue;
    const char next = line[name.size()];
    if (next != '{' && next != ' ') continue;
    const std::size_t space = line.rfind(' ');
    if (line.substr(0, space).find(labels) == std::string::npos) continue;
    sum += std::stod(line.substr(space + 1));
  }
  return sum;
}

}  // namespace leadsync::testing
