#pragma once

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

struct ParseError {
  int line = 0;        // physical line where the bad record starts
  std::string reason;  // names the field when one is at fault
};

struct ParseOutput {
  std::vector<ParsedLead> leads;
  std::vector<ParseError> errors;  // bad records; the others are still in `leads`
};

// Parses a whole input text. Values are kept as written (CSV cells trimmed),
// numbers as their literal text, booleans as true/false; null or an empty
// CSV cell leaves the attribute out. Object values (JSON) and "Set.Field"
// headers (CSV) become custom field sets. A text that cannot be read at all
// (a JSON file that is not an array) yields one error at its line.
[[nodiscard]] ParseOutput ParseInput(std::string_view text, InputFormat format, const FieldMap& fields = {});

// By extension: .csv, .jsonl/.ndjson, .json. nullopt for anything else.
[[nodiscard]] std::optional<InputFormat> FormatFromPath(const std::filesystem::path& path);
[[nodiscard]] std::optional<InputFormat> FormatFromName(std::string_view name);  // "csv" | "jsonl" | "json"

}  // namespace leadsync
