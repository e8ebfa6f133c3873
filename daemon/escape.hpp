#pragma once

#include <string>
#include <string_view>

// Text that came from outside (file names, server messages, lead values)
// made safe to interpolate into a log line or the commands' output.
namespace leadsync::daemon {

// One line, free of control sequences, valid UTF-8: C0 controls and DEL
// become \n, \r, \t or \xNN; bytes that are not UTF-8 become \xNN; C1
// controls, the line and paragraph separators and the bidirectional
// controls (which break or reorder a line on display) become \uNNNN.
// Everything else passes unchanged, backslashes included: escaping only adds
// text, so no line can be forged, and JSON inside server messages stays
// readable.
[[nodiscard]] std::string EscapeForDisplay(std::string_view text);

// Only the bytes that are not UTF-8 become \xNN: for JSON output, whose
// encoder escapes control characters itself but would copy invalid bytes.
[[nodiscard]] std::string RepairUtf8(std::string_view text);

// JSON text (as Boost.JSON writes it) made safe for a terminal with its
// values unchanged: DEL and the code points EscapeForDisplay names as
// \uNNNN (C1 controls, separators, bidirectional controls), which the
// encoder copies as they are, become JSON escapes. They can only stand inside
// strings, where \uNNNN reads back as the same character; C0 controls are
// left alone (the encoder escaped those in strings; outside they are
// whitespace). A byte that is not UTF-8, which no valid JSON holds, becomes
// \ufffd.
[[nodiscard]] std::string EscapeJsonForDisplay(std::string_view json);

}  // namespace leadsync::daemon
