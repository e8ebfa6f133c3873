#include "tools/reference/markdown_man_page.hpp"

#include <vector>

#include "tools/reference/roff.hpp"

namespace leadsync::reference {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The text of a `code` span at `at` (on a backtick run), and where it ends;
// a run of n backticks is closed by the next run of n.
std::size_t CodeSpan(std::string_view text, std::size_t at, std::string& out) {
  std::size_t ticks = 0;
  while (at + ticks < text.size() && text[at + ticks] == '`') ++ticks;
  const std::string fence(ticks, '`');
  const std::size_t close = text.find(fence, at + ticks);
  if (close == std::string_view::npos) {
    out += RoffInline(text.substr(at, ticks));
    return at + ticks;
  }
  // \: after each comma: a long span (a JSON line) may break there
  // instead of running past the right margin.
  std::string code = RoffInline(Trim(text.substr(at + ticks, close - at - ticks)));
  for (std::size_t comma = code.find(','); comma != std::string::npos; comma = code.find(',', comma + 3)) {
    code.insert(comma + 1, "\\:");
  }
  out += "\\fB" + code + "\\fR";
  return close + ticks;
}

// A [text](target) link at `at` as its text; npos when it is not one.
std::size_t Link(std::string_view text, std::size_t at, std::string& out) {
  const std::size_t close = text.find("](", at);
  const std::size_t end = close == std::string_view::npos ? close : text.find(')', close);
  if (end == std::string_view::npos || text.substr(at, close - at).find('[', 1) != std::string_view::npos) {
    return std::string_view::npos;
  }
  out += InlineRoff(text.substr(at + 1, close - at - 1));
  return end + 1;
}

// A **bold** or *emphasis* run at `at`; npos when none closes it.
std::size_t Emphasis(std::string_view text, std::size_t at, std::string& out) {
  const bool strong = text.substr(at).starts_with("**");
  const std::string_view mark = strong ? "**" : "*";
  const std::size_t close = text.find(mark, at + mark.size());
  if (close == std::string_view::npos || close == at + mark.size()) return std::string_view::npos;
  out += (strong ? "\\fB" : "\\fI") + InlineRoff(text.substr(at + mark.size(), close - at - mark.size())) +
         "\\fR";
  return close + mark.size();
}

// A pipe table row's cells; `\|` is a pipe in the cell, and a pipe inside a
// code span does not split (GitHub's rules).
std::vector<std::string> Cells(std::string_view row) {
  row = Trim(row);
  if (row.starts_with('|')) row.remove_prefix(1);
  if (row.ends_with('|') && !row.ends_with("\\|")) row.remove_suffix(1);
  std::vector<std::string> cells;
  std::string cell;
  std::size_t code_ticks = 0;  // the backtick run that opened the code span we are in
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '`') {
      std::size_t ticks = 0;
      while (i + ticks < row.size() && row[i + ticks] == '`') ++ticks;
      if (code_ticks == 0 || code_ticks == ticks) code_ticks = code_ticks == 0 ? ticks : 0;
      cell += row.substr(i, ticks);
      i += ticks - 1;
    } else if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|' && code_ticks == 0) {
      cells.emplace_back(Trim(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  cells.emplace_back(Trim(cell));
  return cells;
}

bool IsDelimiterRow(std::string_view line) {
  return Trim(line).starts_with("|") && Trim(line).find_first_not_of("|-: ") == std::string_view::npos;
}

// Reads the document block by block and writes roff.
class Converter final {
 public:
  explicit Converter(std::string_view markdown) : text_(markdown) {
    for (std::size_t start = 0; start <= text_.size();) {
      const std::size_t end = std::min(text_.find('\n', start), text_.size());
      lines_.push_back(text_.substr(start, end - start));
      start = end + 1;
    }
  }

  std::string Convert() {
    while (at_ < lines_.size()) Block();
    Flush();
    return out_;
  }

 private:
  void Block() {
    const std::string_view line = lines_[at_];
    const std::string_view trimmed = Trim(line);
    if (trimmed.starts_with("```")) return Code();
    if (trimmed.starts_with('#')) return Heading(trimmed);
    if (trimmed.starts_with('|') && at_ + 1 < lines_.size() && IsDelimiterRow(lines_[at_ + 1]))
      return Table();
    if (trimmed.starts_with("- ")) {
      Flush();
      out_ += ".IP \\(bu 2\n";
      paragraph_ += std::string(trimmed.substr(2)) + " ";
      ++at_;
      return;
    }
    if (trimmed.empty()) {
      Flush();
      ++at_;
      return;
    }
    if (paragraph_.empty()) out_ += ".PP\n";
    paragraph_ += std::string(trimmed) + " ";
    ++at_;
  }

  void Flush() {
    if (!paragraph_.empty()) out_ += InlineRoff(Trim(paragraph_)) + "\n";
    paragraph_.clear();
  }

  void Heading(std::string_view line) {
    Flush();
    const std::size_t level = line.find_first_not_of('#');
    const std::string_view title = Trim(line.substr(level));
    ++at_;
    if (level == 1) return;  // the page's title: the .TH line says it
    const std::string request = level == 2 ? ".SH" : ".SS";
    out_ += request + " \"" + InlineRoff(title) + "\"\n";
  }

  void Code() {
    Flush();
    out_ += ".PP\n.RS 4\n.nf\n";
    for (++at_; at_ < lines_.size() && !Trim(lines_[at_]).starts_with("```"); ++at_) {
      out_ += Roff(lines_[at_]) + "\n";
    }
    ++at_;
    out_ += ".fi\n.RE\n";
  }

  void Table() {
    Flush();
    const std::vector<std::string> headers = Cells(lines_[at_]);
    for (at_ += 2; at_ < lines_.size() && Trim(lines_[at_]).starts_with('|'); ++at_)
      Row(headers, Cells(lines_[at_]));
  }

  void Row(const std::vector<std::string>& headers, const std::vector<std::string>& cells) {
    out_ += ".TP\n" + InlineRoff(cells.front()) + "\n";
    for (std::size_t i = 1; i + 1 < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      const std::string header = i < headers.size() ? headers[i] : "";
      out_ +=
          (header.empty() ? "" : "\\fI" + InlineRoff(header) + ":\\fR ") + InlineRoff(cells[i]) + "\n.br\n";
    }
    if (cells.size() > 1) out_ += InlineRoff(cells.back()) + "\n";
  }

  std::string_view text_;
  std::vector<std::string_view> lines_;
  std::size_t at_ = 0;
  std::string paragraph_;  // a paragraph's or list item's text, until a blank line ends it
  std::string out_;
};

}  // namespace

std::string InlineRoff(std::string_view text) {
  std::string out = text.starts_with('.') || text.starts_with('\'') ? "\\&" : "";
  std::string plain;  // text since the last markup, escaped as a whole (UTF-8 stays whole)
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() &&
        std::string_view("|*_`[]\\").find(text[i + 1]) != std::string_view::npos) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    std::string markup;
    std::size_t next = std::string_view::npos;
    if (c == '`') next = CodeSpan(text, i, markup);
    if (c == '[') next = Link(text, i, markup);
    if (c == '*') next = Emphasis(text, i, markup);
    if (next == std::string_view::npos) {
      plain += c;
      ++i;
      continue;
    }
    out += RoffInline(plain) + markup;
    plain.clear();
    i = next;
  }
  return out + RoffInline(plain);
}

std::string MarkdownManPage(std::string_view markdown, const ManHeader& header) {
  std::string out = ".\\\" Generated by leadsync-reference from Markdown: do not edit.\n";
  out += TitleLine(header.name, header.section, header.source, header.manual);
  out += ".SH NAME\n" + Roff(header.name) + " \\- " + Roff(header.summary) + "\n.SH DESCRIPTION\n";
  out += Converter(markdown).Convert();
  if (!header.see_also.empty()) out += ".SH \"SEE ALSO\"\n" + header.see_also + "\n";
  return out;
}

}  // namespace leadsync::reference
