#pragma once

// Internal to core/codec: one decoder per input format, behind MakeDecoder(),
// and what they share.

#include <memory>
#include <string>

#include "core/codec/input_parser.hpp"
#include "core/codec/record_decoder.hpp"

namespace leadsync {

[[nodiscard]] std::unique_ptr<RecordDecoder> MakeCsvDecoder(const FieldMap& fields, const ParseLimits& limits,
                                                            EmptyValues empty);
[[nodiscard]] std::unique_ptr<RecordDecoder> MakeJsonDecoder(const FieldMap& fields,
                                                             const ParseLimits& limits, EmptyValues empty);

// SearchBy names an attribute, so it follows the same renames as the names do.
void RenameSearchBy(Lead& lead, const FieldMap& fields);

[[nodiscard]] std::string TooLongReason(const ParseLimits& limits);
[[nodiscard]] std::string TooManyAttributesReason(const ParseLimits& limits);

}  // namespace leadsync
