// JSON lead input: the same bytes as JSONL, as one JSON array, as a webhook
// body, and as a stored record (the pair array the queue keeps and the API
// is sent).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/codec/api_body.hpp"
#include "core/sources/webhook_body.hpp"
#include "tests/fuzz/lead_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  leadsync::fuzz::ReadLeadInput(text, leadsync::InputFormat::kJsonl);
  leadsync::fuzz::ReadLeadInput(text, leadsync::InputFormat::kJson);
  // A request is committed whole or not at all: leads or a problem, not both.
  leadsync::MappingOptions mapping;
  mapping.fields["Email"].to = "EmailAddress";
  const leadsync::IngestOptions options{"fuzz", leadsync::Mapping(std::move(mapping)), std::nullopt};
  const leadsync::WebhookBody body = leadsync::DecodeWebhookBody(text, options);
  if (body.problem && !body.leads.empty()) std::abort();
  std::string error;
  if (std::optional<leadsync::Lead> lead = leadsync::DecodeRecord(text, &error)) {
    // What decodes must encode to a record that decodes again.
    if (!leadsync::IsStoredRecord(leadsync::EncodeRecord(*lead))) std::abort();
    (void)leadsync::MergeRecords(text, text);
  }
  return 0;
}
