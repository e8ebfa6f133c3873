#include "core/codec/input_parser.hpp"

#include <algorithm>

#include "core/codec/readers.hpp"

namespace leadsync {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

// SearchBy names an attribute, so it follows the same renames as the names do.
void RenameSearchBy(Lead& lead, const FieldMap& fields) {
  const Attribute* search_by = lead.Find("SearchBy");
  if (search_by == nullptr) return;
  auto it = fields.find(Trim(search_by->value));
  if (it != fields.end()) lead.Set("SearchBy", it->second);
}

}  // namespace

ParseOutput ParseInput(std::string_view text, InputFormat format, const FieldMap& fields) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  ParseOutput out;
  switch (format) {
    case InputFormat::kCsv:
      out = ParseCsv(text, fields);
      break;
    case InputFormat::kJsonl:
      out = ParseJsonLines(text, fields);
      break;
    case InputFormat::kJson:
      out = ParseJsonArray(text, fields);
      break;
  }
  if (!fields.empty()) {
    for (ParsedLead& parsed : out.leads) RenameSearchBy(parsed.lead, fields);
  }
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
