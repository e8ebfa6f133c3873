#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/yaml_walker.hpp"

// Readers for a source's mapping keys: `fields`, `constants` and `empty`.
namespace leadsync::config {

// Reads the keys into `out` (fields, drop, conversions, constants, empty).
// `path` is the source's path in the key log ("sources[2]"). A conversion's
// format, time zone and country are checked by the converters' own checks
// (core/mapping/conversion_check.hpp), each problem reported at its value.
// A postgres source applies renames only, for now: what else it is given is
// a warning.
// The conversion type a `type:` value names (`text`, `number`, …); nullopt
// for a name that is none.
[[nodiscard]] std::optional<ValueType> ValueTypeNamed(std::string_view name);

void ReadMapping(MapReader& source, const std::string& path, std::optional<SourceType> type, Source& out);

}  // namespace leadsync::config
