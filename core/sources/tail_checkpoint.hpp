#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/codec/record_splitter.hpp"

namespace leadsync {

// What a tail source knows a file by: a hash of its first bytes, not its
// inode, so that a file renamed away is still recognised and a new file that
// reuses an inode is not mistaken for the old one. The fingerprint covers
// the first `length` bytes (up to kMaxBytes); it grows with the file while
// the file is shorter, since an append-only file's first bytes never change.
struct Fingerprint {
  static constexpr std::uint64_t kMaxBytes = 1024;

  std::uint64_t length = 0;
  std::string hash;  // 16 hex digits of the SHA-256 of those bytes
  bool operator==(const Fingerprint&) const = default;
};

// The fingerprint of the first min(size, kMaxBytes) bytes of `fd`.
[[nodiscard]] std::optional<Fingerprint> TakeFingerprint(int fd, std::uint64_t size);
// Whether the first `fingerprint.length` bytes of `fd` are the ones it was taken from.
[[nodiscard]] bool Matches(int fd, const Fingerprint& fingerprint);

// A tail source's checkpoint: the file and how far its records are
// committed, "LENGTH|HASH|OFFSET|LINE". Written with each chunk's records.
struct TailCheckpoint {
  Fingerprint file;
  InputPosition position;

  [[nodiscard]] std::string Format() const;
  // nullopt for any other text.
  [[nodiscard]] static std::optional<TailCheckpoint> Parse(std::string_view text);
};

}  // namespace leadsync
