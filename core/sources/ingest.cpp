#include "core/sources/ingest.hpp"

#include "core/codec/api_body.hpp"

namespace leadsync {

IngestOptions IngestOptionsFor(const config::Source& source) {
  return IngestOptions{source.name,
                       FieldMap(source.fields.begin(), source.fields.end()),
                       source.search_by,
                       {static_cast<std::size_t>(source.max_line_length), source.max_attributes}};
}

Rejection MakeRejection(const IngestOptions& options, const std::string& label, const ParseError& error,
                        std::string record) {
  return Rejection{
      options.source, "", label + ":" + std::to_string(error.line), error.reason, std::move(record),
      error.category};
}

void AddDecoded(Decoded decoded, const RawRecord& raw, const IngestOptions& options, const std::string& label,
                IngestBatch& batch) {
  if (decoded.kind == Decoded::Kind::kError) {
    batch.rejections.push_back(MakeRejection(options, label, decoded.error, std::string(raw.text)));
    return;
  }
  if (decoded.kind != Decoded::Kind::kLead) return;
  Lead& lead = decoded.lead;
  if (options.search_by && lead.Find("SearchBy") == nullptr) lead.Set("SearchBy", *options.search_by);
  std::string reason;
  auto key = LeadKey(lead, &reason);
  if (!key) {
    const ParseError error{raw.line, std::move(reason), std::string(reject::kNoKey)};
    batch.rejections.push_back(MakeRejection(options, label, error, EncodeRecord(lead)));
    return;
  }
  batch.leads.push_back({*std::move(key), options.source, std::move(lead)});
}

IngestBatch Ingest(std::string_view text, InputFormat format, const IngestOptions& options,
                   const std::string& label) {
  IngestBatch batch;
  DecodeText(text, format, options.fields, options.limits, [&](Decoded&& decoded, const RawRecord& raw) {
    AddDecoded(std::move(decoded), raw, options, label, batch);
  });
  return batch;
}

}  // namespace leadsync
