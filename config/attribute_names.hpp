#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadsync::config {

// Whether `name` (case-insensitive) is a LeadSquared lead attribute that
// exists in every account (a short list of the common built-ins, and
// SearchBy) or names a custom field (mx_...). Others are sent all the same:
// an account may have them, so they are only worth a warning.
[[nodiscard]] bool IsKnownAttribute(std::string_view name);

// The warning for a `fields` target or a `search_by` value that names no
// known attribute; a "Set.Field" target is judged by its set. nullopt when
// the name is known.
[[nodiscard]] std::optional<std::string> UnknownAttributeWarning(std::string_view attribute);

}  // namespace leadsync::config
