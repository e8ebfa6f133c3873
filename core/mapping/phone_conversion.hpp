#pragma once

#include <string_view>

#include "core/mapping/conversion.hpp"

// Phone numbers, read by Google's libphonenumber and written the way
// LeadSquared writes them: "+CC-NUMBER". Pure and thread-safe.
namespace leadsync {

// "+91-9876543210" from any common spelling: "+91 98765 43210",
// "098765-43210", "(022) 1234-5678", "0098 21 1234 5678" (the international
// prefix of `country`'s region), "919876543210". A number written without a
// country code is taken as one of `country` ("+91"; "" = such numbers are
// refused). Its length must be possible for its country (libphonenumber's
// IsPossibleNumber: a length check, so that numbers newer than the library's
// metadata are not refused). An extension ("ext. 12", "x12") is dropped:
// LeadSquared's phone fields hold a number only.
[[nodiscard]] Converted ConvertPhone(std::string_view text, std::string_view country);

}  // namespace leadsync
