#pragma once

// Internal to core/codec: reads one lead out of a simdjson on-demand value.
// Include only from .cpp files of the codec (simdjson is a private dependency).

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/codec/input_parser.hpp"
#include "core/lead.hpp"

namespace leadsync {

enum class RecordForm {
  kAny,    // a flat object or a pair array
  kPairs,  // only the API's pair array
};

// The result of reading one record: a lead, or an error. A `syntax` error
// means the JSON itself is broken and the document cannot be iterated further;
// after any other error the iterator can move on to the next record.
struct JsonRecord {
  std::optional<Lead> lead;
  std::string error;
  bool syntax = false;
};

[[nodiscard]] JsonRecord ReadJsonRecord(simdjson::ondemand::value value, const FieldMap& fields,
                                        RecordForm form = RecordForm::kAny);

// Reads a whole text holding exactly one record (a JSONL line, a stored record).
[[nodiscard]] JsonRecord ReadJsonDocument(simdjson::ondemand::parser& parser, std::string_view json,
                                          const FieldMap& fields, RecordForm form = RecordForm::kAny);

[[nodiscard]] std::string JsonSyntaxError(simdjson::error_code code);

}  // namespace leadsync
