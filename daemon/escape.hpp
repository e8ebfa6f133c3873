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

}  // namespace leadsync::daemon
