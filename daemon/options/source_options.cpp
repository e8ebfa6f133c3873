#include "daemon/options/source_options.hpp"

namespace leadsync::daemon {
namespace {

ValueType TypeFrom(config::ValueType type) {
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

Conversion ConversionFrom(const config::Conversion& conversion) {
  return Conversion{TypeFrom(conversion.type), conversion.format, conversion.timezone, conversion.country};
}

}  // namespace

MappingOptions MappingOptionsFrom(const config::Source& source) {
  MappingOptions options;
  for (const auto& [name, attribute] : source.fields) options.fields[name].to = attribute;
  for (const std::string& name : source.drop) options.fields[name].drop = true;
  for (const auto& [name, conversion] : source.conversions) {
    options.fields[name].conversion = ConversionFrom(conversion);
  }
  options.constants = source.constants;
  options.empty = source.empty == config::EmptyValues::kClear ? EmptyValues::kClear : EmptyValues::kSkip;
  return options;
}

Priority PriorityFrom(const config::Source& source) {
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

IngestOptions IngestOptionsFrom(const config::Source& source, std::uint64_t max_request_bytes) {
  return IngestOptions{
      source.name,          Mapping(MappingOptionsFrom(source)),
      source.search_by,     {static_cast<std::size_t>(source.max_line_length), source.max_attributes},
      PriorityFrom(source), static_cast<std::size_t>(max_request_bytes)};
}

std::optional<InputFormat> InputFormatFrom(config::Format format) {
  switch (format) {
    case config::Format::kCsv:
      return InputFormat::kCsv;
    case config::Format::kJsonl:
      return InputFormat::kJsonl;
    case config::Format::kJson:
      return InputFormat::kJson;
    case config::Format::kAuto:
      break;
  }
  return std::nullopt;
}

SpoolOptions SpoolOptionsFrom(const config::Source& source, std::uint64_t max_request_bytes) {
  const auto& spool = std::get<config::SpoolSettings>(source.settings);
  return SpoolOptions{IngestOptionsFrom(source, max_request_bytes),
                      spool.path,
                      InputFormatFrom(spool.format),
                      spool.after == config::AfterIngest::kDelete ? AfterIngest::kDelete : AfterIngest::kMove,
                      spool.max_file_size,
                      spool.create};
}

TailOptions TailOptionsFrom(const config::Source& source, std::uint64_t max_request_bytes) {
  const auto& tail = std::get<config::TailSettings>(source.settings);
  return TailOptions{IngestOptionsFrom(source, max_request_bytes), tail.path, InputFormatFrom(tail.format),
                     tail.start_at == config::StartAt::kEnd ? TailStart::kEnd : TailStart::kBeginning};
}

PostgresOptions PostgresOptionsFrom(const config::Source& source, std::uint64_t max_request_bytes) {
  const auto& pg = std::get<config::PostgresSettings>(source.settings);
  return PostgresOptions{IngestOptionsFrom(source, max_request_bytes),
                         pg.dsn,
                         pg.query,
                         pg.cursor,
                         pg.cursor_start,
                         pg.cursor_delay,
                         pg.interval,
                         pg.max_page_bytes};
}

WebhookOptions WebhookOptionsFrom(const config::Source& source, std::uint64_t max_request_bytes) {
  const auto& webhook = std::get<config::WebhookSettings>(source.settings);
  return WebhookOptions{IngestOptionsFrom(source, max_request_bytes),
                        webhook.listen,
                        webhook.token,
                        webhook.token_header,
                        webhook.max_body,
                        webhook.tls_cert_file.empty() ? std::string() : webhook.tls_certificate,
                        webhook.tls_cert_file.empty() ? std::string() : webhook.tls_key};
}

}  // namespace leadsync::daemon
