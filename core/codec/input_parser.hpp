#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lead.hpp"

namespace leadsync {

enum class InputFormat { kCsv, kJsonl, kJson };

// Column or key renames from a source's `fields:` (input name -> attribute).
using FieldMap = std::map<std::string, std::string>;

struct ParsedLead {
  Lead lead;
  int line = 0;  // physical line (1-based) where the record starts
};

// Classes of rejection reasons: the `reason` label of
// leadsync_records_rejected_total and Rejection::category.
namespace reject {
inline constexpr std::string_view kInvalidJson = "invalid_json";               // not JSON, or a broken array
inline constexpr std::string_view kInvalidCsv = "invalid_csv";                 // cell count, quotes, header
inline constexpr std::string_view kNotUtf8 = "not_utf8";                       // text that is not UTF-8
inline constexpr std::string_view kBadValue = "bad_value";                     // valid syntax, not a lead
inline constexpr std::string_view kTooLong = "too_long";                       // over max_line_length
inline constexpr std::string_view kTooManyAttributes = "too_many_attributes";  // over max_attributes
inline constexpr std::string_view kNoKey = "no_key";                           // neither e-mail nor phone
inline constexpr std::string_view kTooLarge = "too_large";  // alone over leadsquared.max_request_bytes
inline constexpr std::string_view kSchema =
    "schema";  // the account's schema refuses it (leadsquared.validate: reject)
// Every class above: the values docs/metrics.md and docs/input-formats.md list
// (tests/docs/metrics_doc_test.cpp holds them to it).
inline constexpr std::array kAll{kInvalidJson,       kInvalidCsv, kNotUtf8,  kBadValue, kTooLong,
                                 kTooManyAttributes, kNoKey,      kTooLarge, kSchema};
}  // namespace reject

struct ParseError {
  int line = 0;          // physical line where the bad record starts
  std::string reason;    // names the field when one is at fault
  std::string category;  // one of reject::k...
};

// Caps on one record (a source's max_line_length and max_attributes).
struct ParseLimits {
  std::size_t max_record = std::size_t{1024} * 1024;  // bytes of its text
  int max_attributes = 1000;                          // attributes plus custom fields
};

struct ParseOutput {
  std::vector<ParsedLead> leads;
  std::vector<ParseError> errors;  // bad records; the others are still in `leads`
};

// Parses a whole input text. Values are kept as written (CSV cells trimmed),
// numbers as their literal text, booleans as true/false; null or an empty
// CSV cell leaves the attribute out. Object values (JSON) and "Set.Field"
// headers (CSV) become custom field sets. A text that cannot be read at all
// (a JSON text that is not an array, or whose array is broken: unbalanced,
// unclosed, a missing comma, text after it) yields one error at the line
// of the break and no leads; an element that is not valid JSON is one error.
// Inputs larger than memory go through RecordSplitter and RecordDecoder.
[[nodiscard]] ParseOutput ParseInput(std::string_view text, InputFormat format, const FieldMap& fields = {},
                                     const ParseLimits& limits = {});

// By extension: .csv, .jsonl/.ndjson, .json. nullopt for anything else.
[[nodiscard]] std::optional<InputFormat> FormatFromPath(const std::filesystem::path& path);
[[nodiscard]] std::optional<InputFormat> FormatFromName(std::string_view name);  // "csv" | "jsonl" | "json"

}  // namespace leadsync
