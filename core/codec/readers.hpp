#pragma once

// Internal to core/codec: one reader per input format, behind ParseInput.

#include <string_view>

#include "core/codec/input_parser.hpp"

namespace leadsync {

[[nodiscard]] ParseOutput ParseCsv(std::string_view text, const FieldMap& fields);
[[nodiscard]] ParseOutput ParseJsonLines(std::string_view text, const FieldMap& fields);
[[nodiscard]] ParseOutput ParseJsonArray(std::string_view text, const FieldMap& fields);

}  // namespace leadsync
