#include "core/sources/ingest.hpp"

#include "core/codec/api_body.hpp"

namespace leadsync {

namespace {

ValueType TypeFor(config::ValueType type) {
  switch (type) {
    case config::ValueType::kNumber:
      return ValueType::kNumber;
    case config::ValueType::kBoolean:
      return ValueType::kBoolean;
    case config::ValueType::kDate:
      return ValueType::kDate;
    case config::ValueType::kDateTime:
      return ValueType::kDateTime;
    case config::ValueType::kPhone:
      return ValueType::kPhone;
    case config::ValueType::kText:
      break;
  }
  return ValueType::kText;
}

Conversion ConversionFor(const config::Conversion& conversion) {
  return Conversion{TypeFor(conversion.type), conversion.format, conversion.timezone, conversion.country};
}

}  // namespace

MappingOptions MappingOptionsFor(const config::Source& source) {
  MappingOptions options;
  for (const auto& [name, attribute] : source.fields) options.fields[name].to = attribute;
  for (const std::string& name : source.drop) options.fields[name].drop = true;
  for (const auto& [name, conversion] : source.conversions) {
    options.fields[name].conversion = ConversionFor(conversion);
  }
  options.constants = source.constants;
  options.empty = source.empty == config::EmptyValues::kClear ? EmptyValues::kClear : EmptyValues::kSkip;
  return options;
}

Priority PriorityOf(const config::Source& source) {
  switch (source.priority) {
    case config::SourcePriority::kHigh:
      return Priority::kHigh;
    case config::SourcePriority::kLow:
      return Priority::kLow;
    case config::SourcePriority::kNormal:
      break;
  }
  return Priority::kNormal;
}

IngestOptions IngestOptionsFor(const config::Source& source) {
  return IngestOptions{source.name,
                       Mapping(MappingOptionsFor(source)),
                       source.search_by,
                       {static_cast<std::size_t>(source.max_line_length), source.max_attributes},
                       PriorityOf(source)};
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
  if (std::optional<std::string> problem = options.mapping.Apply(lead)) {
    const ParseError error{raw.line, std::move(*problem), std::string(reject::kBadValue)};
    batch.rejections.push_back(MakeRejection(options, label, error, std::string(raw.text)));
    return;
  }
  if (options.search_by && lead.Find("SearchBy") == nullptr) lead.Set("SearchBy", *options.search_by);
  std::string reason;
  auto key = LeadKey(lead, &reason);
  if (!key) {
    const ParseError error{raw.line, std::move(reason), std::string(reject::kNoKey)};
    batch.rejections.push_back(MakeRejection(options, label, error, EncodeRecord(lead)));
    return;
  }
  batch.leads.push_back({*std::move(key), options.source, std::move(lead), options.priority});
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
