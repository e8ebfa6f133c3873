#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/codec/input_parser.hpp"
#include "core/codec/record_splitter.hpp"
#include "core/sources/regular_file.hpp"
#include "core/sources/tail_checkpoint.hpp"

// The file-system steps of the tail source. They block on the disk, so the
// source runs them on the queue thread.
namespace leadsync {

// A file found by its fingerprint, with its own name (for "file:line").
struct FoundFile {
  OpenedFile file;
  std::string name;
};

// Looks in the directory of `path` for a rotated copy of the file known by
// `fingerprint` that holds at least `min_size` bytes: a regular file whose
// name starts with path's name ("leads.jsonl.1", "leads.jsonl-20240101") and
// whose first bytes match. The most recently modified one wins.
[[nodiscard]] std::optional<FoundFile> FindRotated(const std::filesystem::path& path,
                                                   const Fingerprint& fingerprint, std::uint64_t min_size);

// Just past the last complete record of `fd` (start_at: end): where reading
// starts so that only records written from now on are read.
[[nodiscard]] InputPosition EndOfRecords(int fd, InputFormat format, std::size_t max_record);

}  // namespace leadsync
