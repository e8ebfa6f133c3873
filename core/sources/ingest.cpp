#include "core/sources/ingest.hpp"

#include "core/codec/api_body.hpp"
#include "core/codec/readers.hpp"

namespace leadsync {

Rejection RejectAt(const IngestOptions& options, std::string location, ParseError error, std::string record) {
  return Rejection{options.source,      "",
                   std::move(location), std::move(error.reason),
                   std::move(record),   std::move(error.category)};
}

Rejection MakeRejection(const IngestOptions& options, const std::string& label, const ParseError& error,
                        std::string record) {
  return RejectAt(options, label + ":" + std::to_string(error.line), error, std::move(record));
}

std::string TooLargeReason(std::size_t body_bytes, std::size_t max_request_bytes) {
  return "a request with this record alone would be " + std::to_string(body_bytes) + " bytes, over " +
         std::to_string(max_request_bytes) + " (leadsquared.max_request_bytes)";
}

std::optional<ParseError> CheckCaps(std::uint64_t bytes, std::size_t attributes, const ParseLimits& limits) {
  if (bytes > limits.max_record) return ParseError{0, TooLongReason(limits), std::string(reject::kTooLong)};
  if (attributes > static_cast<std::size_t>(limits.max_attributes)) {
    return ParseError{0, TooManyAttributesReason(limits), std::string(reject::kTooManyAttributes)};
  }
  return std::nullopt;
}

void AddLead(Lead lead, const RecordPlace& place, std::string_view record, const IngestOptions& options,
             IngestBatch& batch) {
  auto text = [&] { return record.empty() ? EncodeRecord(lead) : std::string(record); };
  if (std::optional<std::string> problem = options.mapping.Apply(lead)) {
    const ParseError error{0, std::move(*problem), std::string(reject::kBadValue)};
    batch.rejections.push_back(RejectAt(options, place.Location(), error, text()));
    return;
  }
  if (options.search_by && lead.Find("SearchBy") == nullptr) lead.Set("SearchBy", *options.search_by);
  std::string reason;
  auto key = LeadKey(lead, &reason);
  if (!key) {
    const ParseError error{0, std::move(reason), std::string(reject::kNoKey)};
    batch.rejections.push_back(RejectAt(options, place.Location(), error, EncodeRecord(lead)));
    return;
  }
  if (!FitsAlone(lead, options.max_request_bytes)) {
    const ParseError error{0, TooLargeReason(BodyBytesAlone(lead), options.max_request_bytes),
                           std::string(reject::kTooLarge)};
    batch.rejections.push_back(RejectAt(options, place.Location(), error, text()));
    return;
  }
  if (options.schema) {
    if (std::optional<std::string> problem = options.schema->Judge(lead, options.source)) {
      // With its key, a schema refusal can be replayed once the account has the field.
      const ParseError error{0, std::move(*problem), std::string(reject::kSchema)};
      batch.rejections.push_back(RejectAt(options, place.Location(), error, EncodeRecord(lead)));
      batch.rejections.back().key = *std::move(key);
      return;
    }
  }
  batch.leads.push_back({*std::move(key), options.source, std::move(lead), options.priority});
}

void AddDecoded(Decoded decoded, const RawRecord& raw, const IngestOptions& options, const std::string& label,
                IngestBatch& batch) {
  if (decoded.kind == Decoded::Kind::kError) {
    batch.rejections.push_back(MakeRejection(options, label, decoded.error, std::string(raw.text)));
    return;
  }
  if (decoded.kind != Decoded::Kind::kLead) return;
  AddLead(std::move(decoded.lead), RecordPlace{label, raw.line}, raw.text, options, batch);
}

IngestBatch Ingest(std::string_view text, InputFormat format, const IngestOptions& options,
                   const std::string& label) {
  IngestBatch batch;
  DecodeText(
      text, format, {}, options.limits,
      [&](Decoded&& decoded, const RawRecord& raw) {
        AddDecoded(std::move(decoded), raw, options, label, batch);
      },
      options.mapping.empty());
  return batch;
}

}  // namespace leadsync
