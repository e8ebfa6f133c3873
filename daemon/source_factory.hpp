#pragma once

#include <memory>

#include "config/config.hpp"
#include "core/schema/schema_validation.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"

namespace leadsync::daemon {

// The source a `sources:` entry describes, ready to Run(); its ingest judges
// records by `schema` when given (leadsquared.validate).
[[nodiscard]] std::unique_ptr<Source> MakeSource(const config::Source& settings, SourceContext context,
                                                 std::shared_ptr<SchemaValidation> schema = nullptr);

}  // namespace leadsync::daemon
