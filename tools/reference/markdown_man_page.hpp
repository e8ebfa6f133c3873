#pragma once

#include <string>
#include <string_view>

namespace leadsync::reference {

// What a page made from Markdown is called: the .TH line and NAME.
struct ManHeader {
  std::string name;      // "leadsync.yaml"
  int section = 5;       // 5: file formats
  std::string source;    // "leadsync 0.1.0"
  std::string manual;    // "File Formats"
  std::string summary;   // NAME's text after "name \-"
  std::string see_also;  // SEE ALSO's line, roff as written; empty: none
};

// The Markdown that docs/ is written in (ATX headings, paragraphs, "-"
// lists, fenced code, pipe tables, `code`, **bold**, *emphasis*, links) as
// man(7) roff. The level-1 heading is the page's title and is left out; the
// text before the first level-2 heading is DESCRIPTION; level 2 headings are
// sections, deeper ones subsections. A table row becomes a tagged
// paragraph: its first cell the tag, each middle cell "header: cell", the
// last cell the text. Links keep their text; images and HTML are not read.
[[nodiscard]] std::string MarkdownManPage(std::string_view markdown, const ManHeader& header);

// `text`'s inline Markdown (`code` bold, **bold**, *emphasis*, [text](link)
// as text, \| as |) as roff, escaped.
[[nodiscard]] std::string InlineRoff(std::string_view text);

}  // namespace leadsync::reference
