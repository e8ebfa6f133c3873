#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/codec/record_splitter.hpp"

namespace leadsync {

// Which spool file a checkpoint names. Taken from the opened descriptor:
// the size and mtime (ns) from fstat(), and a hash of the first bytes, so
// that a file dropped again under the same name with other content (or the
// same content, later) is a new file, without reading a file whole before
// its first chunk can be committed.
struct SpoolFileIdentity {
  std::string name;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string head;  // 16 hex digits of the SHA-256 of the first kHeadBytes bytes (or the whole file)
  bool operator==(const SpoolFileIdentity&) const = default;

  static constexpr std::uint64_t kHeadBytes = 4096;
};

// A spool source's checkpoint: the file being ingested and how far its
// records are committed. "NAME|SIZE|MTIME_NS|HEAD|OFFSET|LINE"; the file is
// fully committed when OFFSET equals SIZE. Written with each chunk's records.
struct SpoolCheckpoint {
  SpoolFileIdentity file;
  InputPosition position;

  [[nodiscard]] bool complete() const { return position.offset >= file.size; }
  [[nodiscard]] std::string Format() const;
  // nullopt for any other text (a reset, another version).
  [[nodiscard]] static std::optional<SpoolCheckpoint> Parse(std::string_view text);
};

// The checkpoint of earlier versions, which committed whole files:
// "NAME|SIZE|SHA256HEX" (of the whole file).
struct LegacySpoolCheckpoint {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
  [[nodiscard]] static std::optional<LegacySpoolCheckpoint> Parse(std::string_view text);
};

// The file name a checkpoint of either form names; empty when none.
[[nodiscard]] std::string CheckpointFileName(std::string_view text);

// The identity of an opened spool file; nullopt when it cannot be read.
[[nodiscard]] std::optional<SpoolFileIdentity> IdentifySpoolFile(int fd, const std::string& name,
                                                                 std::uint64_t size, std::int64_t mtime_ns);

}  // namespace leadsync
