#include "core/sources/ingest.hpp"

#include "core/codec/api_body.hpp"

namespace leadsync {
namespace {

std::string Location(const std::string& label, int line) { return label + ":" + std::to_string(line); }

}  // namespace

IngestBatch Ingest(std::string_view text, InputFormat format, const IngestOptions& options,
                   const std::string& label) {
  ParseOutput parsed = ParseInput(text, format, options.fields);
  IngestBatch batch;
  for (const ParseError& error : parsed.errors) {
    batch.rejections.push_back({options.source, "", Location(label, error.line), error.reason, ""});
  }
  for (ParsedLead& parsed_lead : parsed.leads) {
    Lead& lead = parsed_lead.lead;
    if (options.search_by && lead.Find("SearchBy") == nullptr) lead.Set("SearchBy", *options.search_by);
    std::string reason;
    auto key = LeadKey(lead, &reason);
    if (!key) {
      batch.rejections.push_back(
          {options.source, "", Location(label, parsed_lead.line), reason, EncodeRecord(lead)});
      continue;
    }
    batch.leads.push_back({*std::move(key), options.source, std::move(lead)});
  }
  return batch;
}

}  // namespace leadsync
