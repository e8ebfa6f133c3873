#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/codec/input_parser.hpp"
#include "core/codec/record_decoder.hpp"
#include "core/queue/queue.hpp"

namespace leadsync {

// What one input (a file, a chunk of one, a webhook body) yields for the
// queue: leads with their keys, and rejections naming "label:line: reason"
// with a category and the record's raw text.
struct IngestBatch {
  std::vector<IncomingLead> leads;
  std::vector<Rejection> rejections;
};

struct IngestOptions {
  std::string source;                    // source name, for the queue and metrics
  FieldMap fields;                       // renames from the source's config
  std::optional<std::string> search_by;  // added as a SearchBy pair when a lead has none
  ParseLimits limits{};                  // caps on one record
};

// The options a configured source ingests with.
[[nodiscard]] IngestOptions IngestOptionsFor(const config::Source& source);

// Parses `text`, applies renames and search_by, derives keys. Never throws
// for bad input: each bad record becomes a rejection, the rest are kept.
// For inputs of any size, see IngestStream.
[[nodiscard]] IngestBatch Ingest(std::string_view text, InputFormat format, const IngestOptions& options,
                                 const std::string& label);

// Adds one decoded record to `batch`: a lead with its key, or a rejection
// (a parse error, or a lead without a key) carrying the raw record's text.
void AddDecoded(Decoded decoded, const RawRecord& raw, const IngestOptions& options, const std::string& label,
                IngestBatch& batch);

// "label:line: reason" as a rejection (no record text).
[[nodiscard]] Rejection MakeRejection(const IngestOptions& options, const std::string& label,
                                      const ParseError& error, std::string record);

}  // namespace leadsync
