#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/codec/input_parser.hpp"
#include "core/queue/queue.hpp"

namespace leadsync {

// What one input (a file, a webhook body) yields for the queue: leads with
// their keys, and rejections naming "label:line: reason".
struct IngestBatch {
  std::vector<IncomingLead> leads;
  std::vector<Rejection> rejections;
};

struct IngestOptions {
  std::string source;                    // source name, for the queue and metrics
  FieldMap fields;                       // renames from the source's config
  std::optional<std::string> search_by;  // added as a SearchBy pair when a lead has none
};

// Parses `text`, applies renames and search_by, derives keys. Never throws
// for bad input: each bad record becomes a rejection, the rest are kept.
[[nodiscard]] IngestBatch Ingest(std::string_view text, InputFormat format, const IngestOptions& options,
                                 const std::string& label);

}  // namespace leadsync
