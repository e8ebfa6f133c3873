#pragma once

#include <vector>

#include "config/config.hpp"
#include "config/yaml_walker.hpp"

namespace leadsync::config {

// Reads the `sources` list: at least one source, names unique, each with its
// type's required keys and no key of another type. Reports every problem and
// returns what could be read.
[[nodiscard]] std::vector<Source> ReadSources(LoadContext& context, const Entry& entry);

}  // namespace leadsync::config
