#include "tools/reference/roff.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace leadsync::reference {

std::string Roff(std::string_view text) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    // A control character at the start of a line would make it a request.
    if (line.starts_with('.') || line.starts_with('\'')) out += "\\&";
    out += RoffInline(line);
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

namespace {

// The length of the UTF-8 sequence a lead byte starts; 0 for a byte that
// cannot start one.
std::size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 0;
  if (lead >= 0xC2) return 2;
  return 0;
}

// A non-ASCII character as groff's \[uXXXX], so that the page needs no
// input encoding (groff reads Latin-1 without preconv); "?" for a byte that
// is not UTF-8.
std::size_t AppendCharacter(std::string_view text, std::size_t at, std::string& out) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = SequenceLength(lead);
  if (length == 0 || at + length > text.size()) {
    out += '?';
    return 1;
  }
  std::uint32_t code = lead & (0x7FU >> length);
  for (std::size_t i = 1; i < length; ++i)
    code = (code << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3FU);
  char hex[16];
  std::snprintf(hex, sizeof hex, "\\[u%04X]", static_cast<unsigned>(code));
  out += hex;
  return length;
}

}  // namespace

std::string RoffInline(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      i += AppendCharacter(text, i, out);
      continue;
    }
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    ++i;
  }
  return out;
}

std::string Bold(std::string_view text) { return "\\fB" + RoffInline(text) + "\\fR"; }

std::string Italic(std::string_view text) { return "\\fI" + RoffInline(text) + "\\fR"; }

std::string TitleLine(std::string_view name, int section, std::string_view source, std::string_view manual) {
  return ".TH \"" + Roff(name) + "\" " + std::to_string(section) + " \"\" \"" + Roff(source) + "\" \"" +
         Roff(manual) + "\"\n";
}

}  // namespace leadsync::reference
