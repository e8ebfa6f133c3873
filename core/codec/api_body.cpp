#include "core/codec/api_body.hpp"

#include "core/codec/json_record.hpp"
#include "core/codec/json_writer.hpp"

namespace leadsync {

std::string EncodeRecord(const Lead& lead) { return WriteRecord(lead); }

std::string EncodeBatch(std::span<const Lead> leads) { return WriteJson(BatchToJson(leads)); }

std::optional<Lead> DecodeRecord(std::string_view json, std::string* error) {
  // One parser per thread: its buffers are reused from record to record.
  thread_local simdjson::ondemand::parser parser;
  JsonRecord record = ReadJsonDocument(parser, json, {}, RecordForm::kPairs);
  if (!record.lead && error != nullptr) *error = std::move(record.error);
  return std::move(record.lead);
}

bool IsStoredRecord(std::string_view json) { return DecodeRecord(json).has_value(); }

std::optional<std::string> MergeRecord(std::string_view older, const Lead& newer) {
  std::optional<Lead> merged = DecodeRecord(older);
  if (!merged) return std::nullopt;
  merged->MergeFrom(newer);
  return EncodeRecord(*merged);
}

std::optional<std::string> MergeRecords(std::string_view older, std::string_view newer) {
  std::optional<Lead> update = DecodeRecord(newer);
  if (!update) return std::nullopt;
  return MergeRecord(older, *update);
}

std::string JoinRecords(std::span<const std::string> records) {
  std::size_t size = 2;
  for (const std::string& record : records) size += record.size() + 1;
  std::string body;
  body.reserve(size);
  body += '[';
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) body += ',';
    body += records[i];
  }
  body += ']';
  return body;
}

}  // namespace leadsync
