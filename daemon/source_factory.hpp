#pragma once

#include <memory>

#include "config/config.hpp"
#include "core/schema/schema_validation.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"

namespace leadsync::daemon {

// The source a `sources:` entry describes, ready to Run(); a lead alone over
// `max_request_bytes` (leadsquared's) is refused at ingest, and its ingest
// judges records by `schema` when given (leadsquared.validate).
[[nodiscard]] std::unique_ptr<Source> MakeSource(const config::Source& settings,
                                                 std::uint64_t max_request_bytes, SourceContext context,
                                                 std::shared_ptr<SchemaValidation> schema = nullptr);

}  // namespace leadsync::daemon
