#pragma once

// JSON output through Boost.JSON. Its implementation is compiled once, in
// json_writer.cpp (boost/json/src.hpp); every other file includes only the
// Boost.JSON headers, or uses the helpers below.

#include <boost/json/array.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <span>
#include <string>
#include <string_view>

#include "core/lead.hpp"

namespace leadsync {

// The API pair array of one record, keys in the order Attribute, Value,
// Fields; "Fields" only on a custom field set.
[[nodiscard]] boost::json::array RecordToJson(const Lead& lead, const boost::json::storage_ptr& sp = {});

// The same record as compact JSON text, written pair by pair without
// building the array first: what the queue stores for every lead.
[[nodiscard]] std::string WriteRecord(const Lead& lead);

// A JSON array of records, as the body of one bulk call.
[[nodiscard]] boost::json::array BatchToJson(std::span<const Lead> leads,
                                             const boost::json::storage_ptr& sp = {});

// Compact JSON text; strings escaped by Boost.JSON, UTF-8 kept as is.
[[nodiscard]] std::string WriteJson(const boost::json::value& value);

// `text` as a quoted, escaped JSON string literal.
[[nodiscard]] std::string QuoteJson(std::string_view text);

}  // namespace leadsync
