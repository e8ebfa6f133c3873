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

// Whether `json` is a record DecodeRecord reads (checked before a stored
// record is sent as is).
[[nodiscard]] bool IsStoredRecord(std::string_view json);

// A stored record with a newer change applied on top (later value wins per
// attribute, field sets merge). nullopt when a stored record does not decode.
[[nodiscard]] std::optional<std::string> MergeRecord(std::string_view older, const Lead& newer);
[[nodiscard]] std::optional<std::string> MergeRecords(std::string_view older, std::string_view newer);

// The body of one bulk call from stored records: "[" + joined + "]".
[[nodiscard]] std::string JoinRecords(std::span<const std::string> records);

}  // namespace leadsync
