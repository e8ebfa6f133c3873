#pragma once

#include <string>
#include <string_view>

// Writing man(7) roff: text escaped so that groff prints it as written.
namespace leadsync::reference {

// `text` for a roff line: backslashes as \e, hyphens as \- (so that options
// can be searched for and copied), and a line starting with '.' or '\''
// guarded by \&. Newlines are kept (each starts a line, guarded too).
[[nodiscard]] std::string Roff(std::string_view text);

// `text` for the middle of a line: backslashes and hyphens as Roff's.
[[nodiscard]] std::string RoffInline(std::string_view text);

// `text` in bold or italic, escaped.
[[nodiscard]] std::string Bold(std::string_view text);
[[nodiscard]] std::string Italic(std::string_view text);

// The .TH line: name, section, source ("leadsync 0.1.0") and manual.
[[nodiscard]] std::string TitleLine(std::string_view name, int section, std::string_view source,
                                    std::string_view manual);

}  // namespace leadsync::reference
