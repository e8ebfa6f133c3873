#pragma once

#include <memory>

#include "config/config.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"

namespace leadsync::daemon {

// The source a `sources:` entry describes, ready to Run(); a lead alone over
// `max_request_bytes` (leadsquared's) is refused at ingest.
[[nodiscard]] std::unique_ptr<Source> MakeSource(const config::Source& settings,
                                                 std::uint64_t max_request_bytes, SourceContext context);

}  // namespace leadsync::daemon
