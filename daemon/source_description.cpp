#include "daemon/source_description.hpp"

#include "config/dsn_target.hpp"

namespace leadsync::daemon {
namespace {

const char* PriorityName(config::SourcePriority priority) {
  switch (priority) {
    case config::SourcePriority::kHigh:
      return "high";
    case config::SourcePriority::kLow:
      return "low";
    case config::SourcePriority::kNormal:
      break;
  }
  return "normal";
}

std::string Where(const config::SpoolSettings& spool) {
  return "spool " + spool.path.string() + (spool.create ? " (created if missing)" : "");
}
std::string Where(const config::TailSettings& tail) { return "tail " + tail.path.string(); }
std::string Where(const config::PostgresSettings& pg) {
  return "postgres " + config::DescribeDsnTarget(pg.dsn);
}
std::string Where(const config::WebhookSettings& webhook) {
  return "webhook listening on " + webhook.listen + (webhook.tls_cert_file.empty() ? "" : " (HTTPS)");
}

}  // namespace

std::string DescribeSource(const config::Source& source) {
  const std::string where = std::visit([](const auto& settings) { return Where(settings); }, source.settings);
  return "source " + source.name + ": " + where + ", priority " + PriorityName(source.priority);
}

}  // namespace leadsync::daemon
