#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/lead.hpp"

namespace leadsync {

// One record as the API's pair array:
// [{"Attribute":"EmailAddress","Value":"a@x.com"}, {"Attribute":"mx_KYC","Value":"","Fields":[...]}]
[[nodiscard]] std::string EncodeRecord(const Lead& lead);

// The body of one bulk call: a JSON array of records.
[[nodiscard]] std::string EncodeBatch(std::span<const Lead> leads);

// Reads a record written by EncodeRecord (or any valid pair array).
// nullopt with `error` set when it is not one.
[[nodiscard]] std::optional<Lead> DecodeRecord(std::string_view json, std::string* error = nullptr);

}  // namespace leadsync
