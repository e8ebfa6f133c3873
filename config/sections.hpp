#pragma once

#include "config/config.hpp"
#include "config/yaml_walker.hpp"

// Readers for the top-level sections other than `sources`. Each takes the
// section's entry (its key and map), reports every problem in it, and returns
// the settings with defaults where a key is absent or bad.
namespace leadsync::config {

[[nodiscard]] LeadSquared ReadLeadSquared(LoadContext& context, const Entry& entry);
[[nodiscard]] Queue ReadQueue(LoadContext& context, const Entry& entry);
[[nodiscard]] Metrics ReadMetrics(LoadContext& context, const Entry& entry);
[[nodiscard]] Log ReadLog(LoadContext& context, const Entry& entry);

}  // namespace leadsync::config
