#include "daemon/source_factory.hpp"

#include <spdlog/spdlog.h>

#include "config/dsn_tls.hpp"
#include "core/sources/pg_connection.hpp"
#include "core/sources/postgres.hpp"
#include "core/sources/spool.hpp"
#include "core/sources/tail.hpp"
#include "core/sources/webhook.hpp"
#include "daemon/options/source_options.hpp"

namespace leadsync::daemon {
namespace {

// What the warning below judges by is what the connection does.
static_assert(config::kDefaultSslMode == PgConnection::kDefaultSslMode);

std::unique_ptr<Source> MakePostgres(const config::Source& settings, std::uint64_t max_request_bytes,
                                     SourceContext context, std::shared_ptr<SchemaValidation> schema) {
  const auto& dsn = std::get<config::PostgresSettings>(settings.settings).dsn;
  if (std::optional<std::string> warning = config::WeakTlsWarning(dsn)) {
    spdlog::warn("source {}: the dsn's {}", settings.name, *warning);
  }
  PostgresOptions options = PostgresOptionsFrom(settings, max_request_bytes);
  options.ingest.schema = std::move(schema);
  return std::make_unique<PostgresSource>(std::move(context), std::move(options));
}

template <class Options>
Options WithSchema(Options options, std::shared_ptr<SchemaValidation> schema) {
  options.ingest.schema = std::move(schema);
  return options;
}

}  // namespace

std::unique_ptr<Source> MakeSource(const config::Source& settings, std::uint64_t max_request_bytes,
                                   SourceContext context, std::shared_ptr<SchemaValidation> schema) {
  switch (settings.type()) {
    case config::SourceType::kSpool:
      return std::make_unique<SpoolSource>(std::move(context),
                                           WithSchema(SpoolOptionsFrom(settings, max_request_bytes), schema));
    case config::SourceType::kTail:
      return std::make_unique<TailSource>(std::move(context),
                                          WithSchema(TailOptionsFrom(settings, max_request_bytes), schema));
    case config::SourceType::kPostgres:
      return MakePostgres(settings, max_request_bytes, std::move(context), std::move(schema));
    case config::SourceType::kWebhook:
      return std::make_unique<WebhookSource>(
          std::move(context), WithSchema(WebhookOptionsFrom(settings, max_request_bytes), schema));
  }
  return nullptr;
}

}  // namespace leadsync::daemon
