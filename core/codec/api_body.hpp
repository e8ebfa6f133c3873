#pragma once

#include <cstddef>
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

// leadsquared.max_request_bytes unless configured (config::kDefaultMaxRequestBytes).
inline constexpr std::size_t kDefaultMaxRequestBytes = std::size_t{4} * 1024 * 1024;

// The body of one bulk call from stored records: "[" + joined + "]".
[[nodiscard]] std::string JoinRecords(std::span<const std::string> records);

// The size of JoinRecords' body as records are added to it, against a cap
// on the request body (leadsquared.max_request_bytes). A value, no I/O.
class BodySize final {
 public:
  // The body with no record yet: "[]".
  static constexpr std::size_t kEmpty = 2;

  // Whether a record of `record_bytes` can join without taking the body
  // over `max_bytes` (the comma before it counted).
  [[nodiscard]] bool Fits(std::size_t record_bytes, std::size_t max_bytes) const {
    return bytes_ + Separator() + record_bytes <= max_bytes;
  }
  void Add(std::size_t record_bytes) {
    bytes_ += Separator() + record_bytes;
    ++records_;
  }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] std::size_t records() const { return records_; }

 private:
  [[nodiscard]] std::size_t Separator() const { return records_ > 0 ? 1 : 0; }

  std::size_t bytes_ = kEmpty;
  std::size_t records_ = 0;
};

// The body of a call that sends `lead` alone: its stored text (EncodeRecord)
// between "[" and "]".
[[nodiscard]] std::size_t BodyBytesAlone(const Lead& lead);
// Whether BodyBytesAlone(lead) is at most `max_bytes`. Encodes the lead only
// when a bound on that size (every byte escaped) passes the cap.
[[nodiscard]] bool FitsAlone(const Lead& lead, std::size_t max_bytes);

}  // namespace leadsync
