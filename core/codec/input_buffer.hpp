#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadsync {

// A sliding window over an input that is read a block at a time: a file read
// with pread() from a given offset (so that several readers can share one
// descriptor), a pipe read with read(), or a text already in memory.
// Splitters cut records from the front of the window; what they consume is
// dropped at the next Fill(), so memory stays at about one block plus the
// longest record a splitter keeps.
//
// Offsets are absolute byte offsets in the input. A UTF-8 byte order mark at
// offset 0 is skipped. The end of a file is not final: Fill() after more
// bytes were appended returns them (a followed file). Not thread-safe;
// the descriptor is borrowed.
class InputBuffer final {
 public:
  static constexpr std::size_t kBlock = std::size_t{256} * 1024;

  enum class Fill { kData, kEnd, kError };

  // Reads `fd` from `offset`, at most up to `limit` (an absolute offset)
  // when given. `seekable`: pread() from the offset; else read() from
  // wherever the descriptor is (offset then only numbers the bytes).
  InputBuffer(int fd, std::uint64_t offset, std::optional<std::uint64_t> limit, bool seekable);
  // A text in memory; Fill() never finds more.
  explicit InputBuffer(std::string_view text);

  // The bytes read and not yet consumed.
  [[nodiscard]] std::string_view Window() const;
  // The absolute offset of Window()'s first byte.
  [[nodiscard]] std::uint64_t Offset() const { return offset_; }
  void Consume(std::size_t bytes);
  // Drops the consumed bytes and appends up to one block: kData when bytes
  // were added, kEnd at the end of the input (or the limit), kError with
  // error() set when the read failed.
  [[nodiscard]] Fill FillMore();
  [[nodiscard]] int error() const { return error_; }

 private:
  void SkipByteOrderMark();

  int fd_ = -1;
  bool seekable_ = false;
  std::optional<std::uint64_t> limit_;
  std::string owned_;      // what was read from the descriptor
  std::string_view text_;  // the in-memory text (fd_ < 0)
  std::size_t start_ = 0;  // first unconsumed byte of owned_ or text_
  std::uint64_t offset_ = 0;
  int error_ = 0;
  bool checked_bom_ = false;
};

}  // namespace leadsync
