#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/queue/records.hpp"
#include "core/sources/ingest.hpp"

namespace leadsync {

// Why a webhook body is refused, for the 400 answer {"error": ..., "index": N}.
struct BodyProblem {
  std::string error;      // what is wrong, for the sender ("invalid JSON: ...", "no key: ...")
  std::size_t index = 0;  // the lead at fault, counting from 0 (0 for a body that is not JSON)
  std::string category;   // leadsync_records_rejected_total{reason}
};

// What a body holds: every lead with its key, or the first problem (and
// then no lead: a request is committed whole or not at all).
struct WebhookBody {
  std::vector<IncomingLead> leads;
  std::optional<BodyProblem> problem;
};

// Reads the body of POST /v1/leads: one lead, or an array of leads, each a
// flat object or the API's pair array, as in the JSON input format. An array
// whose first element is an object with an "Attribute" key is one lead in
// pair form (a flat lead cannot have that key). Renames, search_by and keys
// come from Ingest() with `options`, one lead at a time, so that a problem
// names its lead. Linear in the body's size; never throws for bad input.
[[nodiscard]] WebhookBody DecodeWebhookBody(std::string_view body, const IngestOptions& options);

}  // namespace leadsync
