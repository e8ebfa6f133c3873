#include "config/closest_name.hpp"

#include <algorithm>
#include <cctype>

namespace leadsync::config {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance: edits, with a transposition as one.
std::size_t Distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) && Lower(a[i - 2]) == Lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> ClosestName(std::string_view given, const std::vector<std::string>& names) {
  if (given.empty()) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = std::min<std::size_t>(2, (given.size() - 1) / 2) + 1;
  for (const std::string& name : names) {
    const std::size_t distance = Distance(given, name);
    if (distance < best_distance && name != given) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view given, const std::vector<std::string>& names) {
  const std::optional<std::string> name = ClosestName(given, names);
  return name ? "; did you mean '" + *name + "'?" : "";
}

}  // namespace leadsync::config
