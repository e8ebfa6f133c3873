#include "daemon/source_factory.hpp"

#include <spdlog/spdlog.h>

#include "core/sources/spool.hpp"
#include "core/sources/tail.hpp"

namespace leadsync::daemon {

std::unique_ptr<Source> MakeSource(const config::Source& settings, SourceContext context) {
  switch (settings.type()) {
    case config::SourceType::kSpool:
      return std::make_unique<SpoolSource>(std::move(context), settings);
    case config::SourceType::kTail:
      return std::make_unique<TailSource>(std::move(context), settings);
    case config::SourceType::kPostgres:
    case config::SourceType::kWebhook:
      spdlog::warn("source {}: type not supported by this build; skipped", settings.name);
      return nullptr;
  }
  return nullptr;
}

}  // namespace leadsync::daemon
