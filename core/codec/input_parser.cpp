#include "core/codec/input_parser.hpp"

#include <algorithm>

#include "core/codec/record_decoder.hpp"

namespace leadsync {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

}  // namespace

ParseOutput ParseInput(std::string_view text, InputFormat format, const FieldMap& fields,
                       const ParseLimits& limits) {
  ParseOutput out;
  DecodeText(text, format, fields, limits, [&out](Decoded&& decoded, const RawRecord& raw) {
    if (decoded.kind == Decoded::Kind::kLead) out.leads.push_back({std::move(decoded.lead), raw.line});
    if (decoded.kind == Decoded::Kind::kError) out.errors.push_back(std::move(decoded.error));
  });
  return out;
}

std::optional<InputFormat> FormatFromPath(const std::filesystem::path& path) {
  std::string extension = Lower(path.extension().string());
  if (extension == ".ndjson") return InputFormat::kJsonl;
  return extension.empty() ? std::nullopt : FormatFromName(std::string_view(extension).substr(1));
}

std::optional<InputFormat> FormatFromName(std::string_view name) {
  if (name == "csv") return InputFormat::kCsv;
  if (name == "jsonl") return InputFormat::kJsonl;
  if (name == "json") return InputFormat::kJson;
  return std::nullopt;
}

}  // namespace leadsync
