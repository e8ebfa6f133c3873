#include "daemon/escape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace leadsync::daemon {
namespace {

// One decoded UTF-8 sequence; length 0 when the bytes at the start are not one.
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 0;
};

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// What a first byte announces: the sequence's length, its payload bits, and
// the smallest value that needs that length (anything less is overlong).
struct LeadByte {
  std::size_t length = 0;
  char32_t bits = 0;
  char32_t minimum = 0;
};

std::optional<LeadByte> ReadLeadByte(unsigned char byte) {
  if (byte < 0x80) return LeadByte{1, byte, 0};
  if (byte >= 0xC2 && byte <= 0xDF) return LeadByte{2, byte & 0x1Fu, 0x80};
  if (byte >= 0xE0 && byte <= 0xEF) return LeadByte{3, byte & 0x0Fu, 0x800};
  if (byte >= 0xF0 && byte <= 0xF4) return LeadByte{4, byte & 0x07u, 0x10000};
  return std::nullopt;
}

// RFC 3629: shortest form only, no surrogates, nothing above U+10FFFF.
CodePoint Decode(std::string_view text) {
  const std::optional<LeadByte> lead = ReadLeadByte(static_cast<unsigned char>(text[0]));
  if (!lead || text.size() < lead->length) return {};
  char32_t value = lead->bits;
  for (std::size_t i = 1; i < lead->length; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!IsContinuation(byte)) return {};
    value = (value << 6) | (byte & 0x3Fu);
  }
  const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
  if (value < lead->minimum || value > 0x10FFFF || surrogate) return {};
  return {value, lead->length};
}

// Code points that change how a line displays without being C0 controls.
bool BreaksDisplay(char32_t c) {
  const bool c1 = c >= 0x80 && c <= 0x9F;
  const bool separator = c == 0x2028 || c == 0x2029;
  const bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
                    c == 0x200F || c == 0x061C;
  return c1 || separator || bidi;
}

void AppendControl(char c, std::string& out) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  }
}

bool PlainAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// What the walk below escapes: kDisplay everything that breaks a line,
// kUtf8 only bytes that are not UTF-8, kJson what a JSON encoder leaves raw.
enum class Mode { kDisplay, kUtf8, kJson };

void AppendCodePoint(char32_t c, std::string& out) {
  out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(c));
}

// Whether `mode` writes the code point `c` as \uNNNN.
bool Named(char32_t c, Mode mode) {
  if (mode == Mode::kDisplay) return BreaksDisplay(c);
  if (mode == Mode::kJson) return c == 0x7F || BreaksDisplay(c);
  return false;
}

// One valid sequence (`bytes`, decoding to `c`) as `mode` writes it.
void AppendSequence(std::string_view bytes, char32_t c, Mode mode, std::string& out) {
  const bool c0 = bytes.size() == 1 && (c < 0x20 || c == 0x7F);
  if (mode == Mode::kDisplay && c0) {
    AppendControl(bytes[0], out);
  } else if (Named(c, mode)) {
    AppendCodePoint(c, out);
  } else {
    out.append(bytes);
  }
}

// Walks `text` sequence by sequence.
std::string Escape(std::string_view text, Mode mode) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const CodePoint cp = Decode(text);
    if (cp.length == 0) {
      if (mode == Mode::kJson) {
        AppendCodePoint(0xFFFD, out);
      } else {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[0]));
      }
      text.remove_prefix(1);
      continue;
    }
    AppendSequence(text.substr(0, cp.length), cp.value, mode, out);
    text.remove_prefix(cp.length);
  }
  return out;
}

}  // namespace

std::string EscapeForDisplay(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  return Escape(text, Mode::kDisplay);
}

std::string RepairUtf8(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  return Escape(text, Mode::kUtf8);
}

std::string EscapeJsonForDisplay(std::string_view json) {
  if (PlainAscii(json)) return std::string(json);
  return Escape(json, Mode::kJson);
}

}  // namespace leadsync::daemon
