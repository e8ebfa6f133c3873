#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lead.hpp"

namespace leadsync {

// One record of a bulk call as the sandbox received it.
struct BulkRecord {
  Lead lead;         // pairs in the order sent, SearchBy included
  std::string json;  // the record's JSON, minified (what `poison` is matched against)
};

// Reads the body of a bulk call strictly, the way the sandbox should catch a
// client's mistakes: a JSON array of records, each an array of
// {"Attribute": non-empty string, "Value": string or null} objects, a custom
// field set pair carrying "Fields" (an array of such pairs). nullopt with
// `error` set otherwise. Counts are not checked here.
[[nodiscard]] std::optional<std::vector<BulkRecord>> ParseBulkRequest(std::string_view body,
                                                                      std::string* error);

}  // namespace leadsync
