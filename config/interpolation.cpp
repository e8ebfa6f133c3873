#include "config/interpolation.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace leadsync::config {
namespace {

bool IsValidName(std::string_view name) {
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  return !name.empty() && std::isdigit(static_cast<unsigned char>(name.front())) == 0 &&
         std::ranges::all_of(name, is_name_char);
}

Interpolated Failure(std::string error) { return Interpolated{std::nullopt, std::move(error)}; }

}  // namespace

Interpolated Interpolate(std::string_view text, const EnvLookup& env) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find("${", pos);
    if (start == std::string_view::npos) break;
    out.append(text.substr(pos, start - pos));
    const std::size_t end = text.find('}', start + 2);
    // The name is only quoted once it is known to be a name: the scalar may be a secret.
    if (end == std::string_view::npos) return Failure("'${' without a closing '}'");
    const std::string name(text.substr(start + 2, end - start - 2));
    if (!IsValidName(name)) return Failure("'${...}' must hold a variable name (letters, digits, '_')");
    const std::optional<std::string> value = env(name);
    if (!value) return Failure("environment variable '" + name + "' is not set");
    out.append(*value);
    pos = end + 1;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return Interpolated{std::move(out), {}};
}

}  // namespace leadsync::config
