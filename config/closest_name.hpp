#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadsync::config {

// The name in `names` nearest to a mistyped `given` (Levenshtein distance,
// case-insensitive, a swap of two neighbours counting once), when it is near
// enough to be what was meant: at most 2 edits, and fewer than half the
// characters of `given`. For "did you mean" in config and command-line errors.
[[nodiscard]] std::optional<std::string> ClosestName(std::string_view given,
                                                     const std::vector<std::string>& names);

// "; did you mean 'NAME'?" when ClosestName finds one, else empty.
[[nodiscard]] std::string DidYouMean(std::string_view given, const std::vector<std::string>& names);

}  // namespace leadsync::config
