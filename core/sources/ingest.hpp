#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/codec/input_parser.hpp"
#include "core/codec/record_decoder.hpp"
#include "core/mapping/mapping.hpp"
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
  Mapping mapping{};                     // the source's fields, constants and empty
  std::optional<std::string> search_by;  // added as a SearchBy pair when a lead has none
  ParseLimits limits{};                  // caps on one record
  // Stamped on each lead with `source`.
  Priority priority = Priority::kNormal;
};

// A configured source's `priority`.
[[nodiscard]] Priority PriorityOf(const config::Source& source);

// A source's mapping settings from its config (renames, drops, conversions,
// constants, empty).
[[nodiscard]] MappingOptions MappingOptionsFor(const config::Source& source);

// The options a configured source ingests with.
[[nodiscard]] IngestOptions IngestOptionsFor(const config::Source& source);

// Parses `text` (empty values kept or left out as the mapping says), maps
// each lead, adds search_by, derives keys. Never throws for bad input: each
// bad record becomes a rejection, the rest are kept. For inputs of any size,
// see IngestStream.
[[nodiscard]] IngestBatch Ingest(std::string_view text, InputFormat format, const IngestOptions& options,
                                 const std::string& label);

// Adds one decoded record (decoded without renames: the mapping does them)
// to `batch`: a lead mapped, with search_by and its key, or a rejection (a
// parse error, a value the mapping cannot convert, or a lead without a key)
// carrying the raw record's text.
void AddDecoded(Decoded decoded, const RawRecord& raw, const IngestOptions& options, const std::string& label,
                IngestBatch& batch);

// "label:line: reason" as a rejection (no record text).
[[nodiscard]] Rejection MakeRejection(const IngestOptions& options, const std::string& label,
                                      const ParseError& error, std::string record);

}  // namespace leadsync
