#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/sources/unique_fd.hpp"

// How file sources open what a less trusted writer put in their directory
// (a writer may create, rename and delete files there, nothing else): never
// through a symbolic link, never a FIFO, a device, a socket or a directory,
// never more than max_file_size, and only through the one descriptor that
// was checked.
namespace leadsync {

struct OpenedFile {
  UniqueFd fd;
  struct stat info {};  // fstat() of `fd`: what was actually opened
};

struct OpenRefusal {
  enum class Kind {
    kVanished,  // no such file (any more)
    kRefused,   // not something a source reads; `reason` says what it is
    kFailed,    // the open failed (permissions, I/O)
  };
  Kind kind = Kind::kFailed;
  std::string reason;  // "a symbolic link", "a FIFO", "4294967296 bytes, over max_file_size (1073741824)"
};

// Opens `name` relative to `dir_fd` (AT_FDCWD for a path) for reading with
// O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC. The entry is looked at first without
// following it, so that no FIFO or device is even opened when it can be
// avoided; then the descriptor itself is checked, which catches a file
// swapped in between. `max_size` caps st_size when given.
[[nodiscard]] std::optional<OpenedFile> OpenRegularFile(int dir_fd, const std::string& name,
                                                        std::optional<std::uint64_t> max_size,
                                                        OpenRefusal& refusal);

// What a file is, for messages: "a symbolic link", "a FIFO", "a device"...;
// empty for a regular file.
[[nodiscard]] std::string DescribeNonRegular(mode_t mode);

// "N bytes, over max_file_size (M)" when `size` is over `max_size`.
[[nodiscard]] std::optional<std::string> CheckSize(std::uint64_t size, std::optional<std::uint64_t> max_size);

// Whether two stat results name the same file (device and inode).
[[nodiscard]] inline bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Lower-case hex of the SHA-256 of the first `length` bytes of `fd` (read
// with pread, so the descriptor's position is untouched), truncated to
// `hex_digits`; nullopt when the file holds fewer bytes or cannot be read.
[[nodiscard]] std::optional<std::string> HashPrefix(int fd, std::uint64_t length, std::size_t hex_digits);

}  // namespace leadsync
