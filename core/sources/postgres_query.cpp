#include "core/sources/postgres_query.hpp"

#include <cctype>
#include <regex>

namespace leadsync {
namespace {

constexpr std::string_view kPage = "leadsync_page";

// A ';' would end the subquery early; a trailing "-- comment" is harmless,
// as the query is followed by a line break.
std::string_view StripEnd(std::string_view query) {
  while (!query.empty() && (query.back() == ';' || std::isspace(static_cast<unsigned char>(query.back())))) {
    query.remove_suffix(1);
  }
  return query;
}

std::string Column(std::string_view name) { return std::string(kPage) + "." + QuoteIdentifier(name); }

}  // namespace

PollQuery BuildPollQuery(const PostgresOptions& settings) {
  PollQuery out;
  out.page_size = LiteralLimit(settings.query);
  std::string select = "SELECT " + std::string(kPage) + ".*";
  if (settings.cursor_delay.count() > 0) {
    out.delay = std::to_string(settings.cursor_delay.count()) + " milliseconds";
    select += ", " + Column(settings.cursor.front()) + " <= now() - $" +
              std::to_string(settings.cursor.size() + 1) + "::interval AS " + std::string(kSettledColumn);
  }
  std::string order;
  for (const std::string& column : settings.cursor) order += (order.empty() ? "" : ", ") + Column(column);
  out.sql = select + "\nFROM (\n" + std::string(StripEnd(settings.query)) + "\n) AS " + std::string(kPage) +
            "\nORDER BY " + order;
  return out;
}

std::optional<std::int64_t> LiteralLimit(std::string_view query) {
  static const std::regex limit_pattern(
      R"((?:^|\s)(?:limit\s+(\d+)|fetch\s+(?:first|next)\s+(\d+)\s+rows?\s+only)$)",
      std::regex::icase | std::regex::ECMAScript);
  const std::string tail(StripEnd(query));
  std::smatch match;
  if (!std::regex_search(tail, match, limit_pattern)) return std::nullopt;
  const std::string digits = match[1].matched ? match[1].str() : match[2].str();
  if (digits.size() > 15) return std::nullopt;
  return std::stoll(digits);
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    out.push_back(c);
    if (c == '"') out.push_back('"');
  }
  return out + "\"";
}

}  // namespace leadsync
