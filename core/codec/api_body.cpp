#include "core/codec/api_body.hpp"

#include "core/codec/json_record.hpp"
#include "core/codec/json_writer.hpp"

namespace leadsync {

std::string EncodeRecord(const Lead& lead) { return WriteJson(RecordToJson(lead)); }

std::string EncodeBatch(std::span<const Lead> leads) { return WriteJson(BatchToJson(leads)); }

std::optional<Lead> DecodeRecord(std::string_view json, std::string* error) {
  // One parser per thread: its buffers are reused from record to record.
  thread_local simdjson::ondemand::parser parser;
  JsonRecord record = ReadJsonDocument(parser, json, {}, RecordForm::kPairs);
  if (!record.lead && error != nullptr) *error = std::move(record.error);
  return std::move(record.lead);
}

}  // namespace leadsync
