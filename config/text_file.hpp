#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leadsync::config {

// The whole content of a file, or why it could not be read.
struct TextFile {
  std::optional<std::string> content;
  std::string error;         // the OS reason, e.g. "No such file or directory"
  unsigned permissions = 0;  // the file's mode bits (07777), as read through the descriptor
};

// Reads `path` in one go; never throws for I/O problems. Only a regular file
// of at most 1 MiB is read: a FIFO, a device (/dev/zero), a directory or a
// larger file is an error at once, never a hang or an unbounded read.
[[nodiscard]] TextFile ReadTextFile(const std::filesystem::path& path);

// `text` without one trailing "\n" or "\r\n" (secret files usually end in one).
[[nodiscard]] std::string_view StripOneNewline(std::string_view text);

}  // namespace leadsync::config
