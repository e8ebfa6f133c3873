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

namespace {

// JSON escapes a byte in at most 6 ("\u001f"); a pair's own text
// ({"Attribute":"","Value":""} and a comma) and a set's ,"Fields":[] are
// under 64.
constexpr std::size_t kEscapedByte = 6;
constexpr std::size_t kPairText = 64;

std::size_t PairBound(std::string_view name, std::string_view value) {
  return kPairText + kEscapedByte * (name.size() + value.size());
}

// Not below BodyBytesAlone(lead).
std::size_t EncodedBound(const Lead& lead) {
  std::size_t bound = BodySize::kEmpty;
  for (const Attribute& attribute : lead.attributes()) {
    bound += PairBound(attribute.name, attribute.value);
    for (const Field& field : attribute.fields) bound += PairBound(field.name, field.value);
  }
  return bound;
}

}  // namespace

std::size_t BodyBytesAlone(const Lead& lead) {
  BodySize body;
  body.Add(EncodeRecord(lead).size());
  return body.bytes();
}

bool FitsAlone(const Lead& lead, std::size_t max_bytes) {
  return EncodedBound(lead) <= max_bytes || BodyBytesAlone(lead) <= max_bytes;
}

}  // namespace leadsync
