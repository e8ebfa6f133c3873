#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/loader.hpp"

namespace leadsync::config {

// The result of replacing every ${NAME} in a scalar.
struct Interpolated {
  std::optional<std::string> text;  // set on success
  std::string error;                // otherwise why; never quotes the scalar itself
};

// Replaces each ${NAME} (NAME: letters, digits and '_', not starting with a
// digit) by env(NAME). A '$' not followed by '{' is kept as it is. An unset
// variable, an unterminated "${" or a bad name is an error.
[[nodiscard]] Interpolated Interpolate(std::string_view text, const EnvLookup& env);

}  // namespace leadsync::config
