#pragma once

#include <memory>

#include "config/config.hpp"
#include "core/sources/source.hpp"
#include "core/sources/source_context.hpp"

namespace leadsync::daemon {

// The source a `sources:` entry describes, ready to Run().
[[nodiscard]] std::unique_ptr<Source> MakeSource(const config::Source& settings, SourceContext context);

}  // namespace leadsync::daemon
