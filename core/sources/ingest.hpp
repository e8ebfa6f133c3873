#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/api_body.hpp"
#include "core/codec/input_parser.hpp"
#include "core/codec/record_decoder.hpp"
#include "core/mapping/mapping.hpp"
#include "core/queue/priority.hpp"
#include "core/queue/queue.hpp"
#include "core/schema/schema_validation.hpp"

namespace leadsync {

// What one input (a file, a chunk of one, a webhook body) yields for the
// queue: leads with their keys, and rejections naming "label:line: reason"
// with a category and the record's raw text.
struct IngestBatch {
  std::vector<IncomingLead> leads;
  std::vector<Rejection> rejections;
};

// What every source ingests with (daemon/options makes it from a source's
// config and leadsquared.max_request_bytes): its name, its mapping,
// search_by and the caps on one record.
struct IngestOptions {
  std::string source;                     // source name, for the queue and metrics
  Mapping mapping{};                      // the source's fields, constants and empty
  std::optional<std::string> search_by;   // added as a SearchBy pair when a lead has none
  ParseLimits limits{};                   // caps on one record
  Priority priority = Priority::kNormal;  // given to every lead it adds
  // A lead whose call alone would have a larger body is refused (too_large):
  // no batch could carry it.
  std::size_t max_request_bytes = kDefaultMaxRequestBytes;
  // The account's schema at ingest (leadsquared.validate), shared by every
  // source; null: not checked.
  std::shared_ptr<SchemaValidation> schema{};
};

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

// The steps after parsing, the same for every source (files, postgres
// rows, webhook bodies, enqueue): map (core/mapping), add search_by when the
// lead has none, derive the key, check that the lead alone fits in a request
// (max_request_bytes), judge it by the account's schema (a `schema`
// rejection with leadsquared.validate: reject). Adds the lead to `batch`, or a rejection at
// `place` carrying `record` (the lead's own text when `record` is empty;
// the mapped lead's when it has no key).
struct RecordPlace {
  std::string_view label;  // a file's name, or "cursor X" for a postgres row
  int line = 0;            // "label:line" when above 0, else the label alone
  [[nodiscard]] std::string Location() const {
    return line > 0 ? std::string(label) + ":" + std::to_string(line) : std::string(label);
  }
};
void AddLead(Lead lead, const RecordPlace& place, std::string_view record, const IngestOptions& options,
             IngestBatch& batch);

// The caps on one record that its reader could not check as it read
// (a postgres row's converted values): nullopt within them, else the
// rejection's reason and category, worded as the file readers word them.
[[nodiscard]] std::optional<ParseError> CheckCaps(std::uint64_t bytes, std::size_t attributes,
                                                  const ParseLimits& limits);

// Why a lead is refused as too_large, its body alone being `body_bytes`.
[[nodiscard]] std::string TooLargeReason(std::size_t body_bytes, std::size_t max_request_bytes);

// A rejection of `options.source` at `location` ("file:line", "cursor X").
[[nodiscard]] Rejection RejectAt(const IngestOptions& options, std::string location, ParseError error,
                                 std::string record);

// "label:line: reason" as a rejection (no record text).
[[nodiscard]] Rejection MakeRejection(const IngestOptions& options, const std::string& label,
                                      const ParseError& error, std::string record);

}  // namespace leadsync
