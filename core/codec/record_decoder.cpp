#include "core/codec/record_decoder.hpp"

#include <optional>

#include "core/codec/readers.hpp"

namespace leadsync {
namespace {

// A JSON text whose array is broken is refused whole: what follows the break
// cannot be trusted.
std::optional<ParseError> CheckStructure(std::string_view text, const ParseLimits& limits) {
  InputBuffer input(text);
  const auto splitter = MakeSplitter(InputFormat::kJson, input, limits.max_record);
  RawRecord record;
  RecordSplitter::Status status = RecordSplitter::Status::kRecord;
  while (status == RecordSplitter::Status::kRecord) status = splitter->Next(record);
  if (status != RecordSplitter::Status::kBroken) return std::nullopt;
  return ParseError{splitter->broken_line(), splitter->broken_reason(), std::string(reject::kInvalidJson)};
}

}  // namespace

void DecodeText(std::string_view text, InputFormat format, const FieldMap& fields, const ParseLimits& limits,
                const DecodedSink& sink, EmptyValues empty) {
  if (format == InputFormat::kJson) {
    if (std::optional<ParseError> broken = CheckStructure(text, limits)) {
      const RawRecord nothing{{}, broken->line, {}, false};
      sink(Decoded{Decoded::Kind::kError, Lead{}, std::move(*broken)}, nothing);
      return;
    }
  }
  InputBuffer input(text);
  const auto splitter = MakeSplitter(format, input, limits.max_record);
  const auto decoder = MakeDecoder(format, fields, limits, empty);
  RawRecord record;
  while (splitter->Next(record) == RecordSplitter::Status::kRecord) {
    Decoded decoded = decoder->Decode(record);
    if (decoded.kind != Decoded::Kind::kNothing) sink(std::move(decoded), record);
  }
}

std::unique_ptr<RecordDecoder> MakeDecoder(InputFormat format, const FieldMap& fields,
                                           const ParseLimits& limits, EmptyValues empty) {
  if (format == InputFormat::kCsv) return MakeCsvDecoder(fields, limits, empty);
  return MakeJsonDecoder(fields, limits, empty);
}

void RenameSearchBy(Lead& lead, const FieldMap& fields) {
  if (fields.empty()) return;
  const Attribute* search_by = lead.Find("SearchBy");
  if (search_by == nullptr) return;
  auto it = fields.find(Trim(search_by->value));
  if (it != fields.end()) lead.Set("SearchBy", it->second);
}

std::string TooLongReason(const ParseLimits& limits) {
  return "record longer than " + std::to_string(limits.max_record) + " bytes (max_line_length)";
}

std::string TooManyAttributesReason(const ParseLimits& limits) {
  return "more than " + std::to_string(limits.max_attributes) + " attributes (max_attributes)";
}

}  // namespace leadsync
