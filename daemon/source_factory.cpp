#include "daemon/source_factory.hpp"

#include "core/sources/postgres.hpp"
#include "core/sources/spool.hpp"
#include "core/sources/tail.hpp"
#include "core/sources/webhook.hpp"

namespace leadsync::daemon {

std::unique_ptr<Source> MakeSource(const config::Source& settings, SourceContext context) {
  switch (settings.type()) {
    case config::SourceType::kSpool:
      return std::make_unique<SpoolSource>(std::move(context), settings);
    case config::SourceType::kTail:
      return std::make_unique<TailSource>(std::move(context), settings);
    case config::SourceType::kPostgres:
      return std::make_unique<PostgresSource>(std::move(context), settings);
    case config::SourceType::kWebhook:
      return std::make_unique<WebhookSource>(std::move(context), settings);
  }
  return nullptr;
}

}  // namespace leadsync::daemon
