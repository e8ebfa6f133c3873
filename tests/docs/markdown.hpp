#pragma once

// Just enough Markdown for the documentation's drift tests: sections by
// heading, table rows, links and GitHub's heading anchors. Fenced code blocks
// are skipped everywhere: a `#` or a link inside one is text, not structure.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace leadsync::testing::markdown {

// A file of the source tree, by its path from the tree's root.
inline std::string ReadSource(const std::string& relative) {
  return ReadFile(std::filesystem::path(LEADSYNC_SOURCE_DIR) / relative);
}

struct Line {
  std::string text;
  int number = 0;     // 1-based
  bool code = false;  // inside a fenced code block (or a fence itself)
  int heading = 0;    // 1..6 for an ATX heading, else 0
};

inline std::vector<Line> Lines(std::string_view text) {
  std::vector<Line> lines;
  bool fenced = false;
  int number = 0;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    Line line{std::string(text.substr(start, end - start)), ++number, fenced, 0};
    const std::string_view trimmed =
        std::string_view(line.text).substr(std::min(line.text.find_first_not_of(' '), line.text.size()));
    if (trimmed.starts_with("```")) {
      fenced = !fenced;
      line.code = true;
    } else if (!fenced) {
      const std::size_t hashes = line.text.find_first_not_of('#');
      if (hashes >= 1 && hashes <= 6 && hashes < line.text.size() && line.text[hashes] == ' ') {
        line.heading = static_cast<int>(hashes);
      }
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// The heading's text without its leading #s.
inline std::string HeadingText(const Line& line) {
  return line.text.substr(static_cast<std::size_t>(line.heading) + 1);
}

// The lines under the first heading whose text contains `marker`, up to the
// next heading of the same or a higher level; empty when there is no such
// heading.
inline std::vector<Line> Section(std::string_view text, std::string_view marker) {
  const std::vector<Line> lines = Lines(text);
  std::vector<Line> section;
  int level = 0;
  for (const Line& line : lines) {
    if (level == 0) {
      if (line.heading > 0 && HeadingText(line).find(marker) != std::string::npos) level = line.heading;
      continue;
    }
    if (line.heading > 0 && line.heading <= level) break;
    section.push_back(line);
  }
  return section;
}

inline std::string Join(const std::vector<Line>& lines) {
  std::string text;
  for (const Line& line : lines) text += line.text + "\n";
  return text;
}

// The first cell of every table row, when it is one code span: "| `name` | …"
// gives "name". Header and separator rows have none.
inline std::vector<std::string> RowKeys(const std::vector<Line>& lines) {
  static const std::regex kRow(R"(^\|\s*`([^`]+)`\s*\|)");
  std::vector<std::string> keys;
  for (const Line& line : lines) {
    std::smatch match;
    if (!line.code && std::regex_search(line.text, match, kRow)) keys.push_back(match[1].str());
  }
  return keys;
}

// The cells of a table row ("| a | b |" gives "a", "b"), trimmed. Cells end
// at each '|' that no backslash escapes (an escaped one is a pipe inside a
// cell).
inline std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    const char c = row[i];
    if (c != '|' || row[i - 1] == '\\') {
      cell += c;
      continue;
    }
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    cells.push_back(std::exchange(cell, {}));
  }
  return cells;
}

// The cells of every table row of `lines`, header and separator rows included.
inline std::vector<std::vector<std::string>> Rows(const std::vector<Line>& lines) {
  std::vector<std::vector<std::string>> rows;
  for (const Line& line : lines) {
    if (!line.code && line.text.starts_with("|")) rows.push_back(Cells(line.text));
  }
  return rows;
}

// The cells of the table row whose first cell is `key` in a code span;
// empty when there is none.
inline std::vector<std::string> Row(const std::vector<Line>& lines, const std::string& key) {
  const std::string start = "`" + key + "`";
  for (std::vector<std::string>& cells : Rows(lines)) {
    if (!cells.empty() && cells.front() == start) return std::move(cells);
  }
  return {};
}

// The values a cell lists: its code spans that start the cell or a clause,
// after "(", ", ", "; ", ". " or ": ". A code span inside a sentence ("over
// `max_line_length`") is not one. "`a` (why), `b`: how. `c`" gives a, b, c.
inline std::set<std::string> ListedValues(const std::string& cell) {
  static const std::regex kValue(R"((?:^|\(|[,;.:] )`([^`]+)`)");
  std::set<std::string> values;
  for (auto it = std::sregex_iterator(cell.begin(), cell.end(), kValue); it != std::sregex_iterator(); ++it) {
    values.insert((*it)[1].str());
  }
  return values;
}

struct Link {
  std::string target;  // as written
  int line = 0;
};

// Inline links and images ([text](target)) and reference definitions
// ([name]: target), outside code blocks and code spans.
inline std::vector<Link> Links(std::string_view text) {
  static const std::regex kCodeSpan("`[^`]*`");
  static const std::regex kInline(R"(\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\))");
  static const std::regex kReference(R"(^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?)");
  std::vector<Link> links;
  for (const Line& line : Lines(text)) {
    if (line.code) continue;
    const std::string prose = std::regex_replace(line.text, kCodeSpan, "``");
    for (auto it = std::sregex_iterator(prose.begin(), prose.end(), kInline); it != std::sregex_iterator();
         ++it) {
      links.push_back({(*it)[1].str(), line.number});
    }
    std::smatch match;
    if (std::regex_search(prose, match, kReference)) links.push_back({match[1].str(), line.number});
  }
  return links;
}

// GitHub's anchor for each heading: lower case, punctuation dropped, spaces
// turned into hyphens; a repeated anchor gets -1, -2...
inline std::set<std::string> Anchors(std::string_view text) {
  std::set<std::string> anchors;
  std::map<std::string, int> seen;
  for (const Line& line : Lines(text)) {
    if (line.heading == 0) continue;
    std::string anchor;
    for (const char c : HeadingText(line)) {
      const auto byte = static_cast<unsigned char>(c);
      if (std::isalnum(byte) != 0 || c == '-' || c == '_') {
        anchor += static_cast<char>(std::tolower(byte));
      } else if (c == ' ') {
        anchor += '-';
      }
    }
    const int count = seen[anchor]++;
    anchors.insert(count == 0 ? anchor : anchor + "-" + std::to_string(count));
  }
  return anchors;
}

}  // namespace leadsync::testing::markdown
