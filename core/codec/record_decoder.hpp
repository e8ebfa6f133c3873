#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "core/codec/input_parser.hpp"
#include "core/codec/record_splitter.hpp"
#include "core/lead.hpp"
#include "core/mapping/empty_values.hpp"

namespace leadsync {

// What one raw record is.
struct Decoded {
  enum class Kind { kLead, kError, kNothing };
  Kind kind = Kind::kNothing;  // kNothing: a blank line, the CSV header
  Lead lead;
  ParseError error;
};

// Turns raw records (from a RecordSplitter) into leads: JSON objects or pair
// arrays, or CSV rows under the header (the first record). Applies `fields`
// renames and the caps of ParseLimits. An empty CSV cell or a JSON null is
// left out, or with EmptyValues::kClear kept as "". Work per record is
// linear in its size.
//
// Not thread-safe; one decoder per input.
class RecordDecoder {
 public:
  virtual ~RecordDecoder() = default;
  [[nodiscard]] virtual Decoded Decode(const RawRecord& record) = 0;
};

[[nodiscard]] std::unique_ptr<RecordDecoder> MakeDecoder(InputFormat format, const FieldMap& fields,
                                                         const ParseLimits& limits,
                                                         EmptyValues empty = EmptyValues::kSkip);

// Decodes a whole text held in memory, calling `sink` for each record that
// is a lead or an error, with the raw record it came from. A JSON text whose
// array is broken gives one error (with an empty raw record) and nothing
// else: its structure is checked before any element is decoded.
using DecodedSink = std::function<void(Decoded&& decoded, const RawRecord& raw)>;
void DecodeText(std::string_view text, InputFormat format, const FieldMap& fields, const ParseLimits& limits,
                const DecodedSink& sink, EmptyValues empty = EmptyValues::kSkip);

}  // namespace leadsync
