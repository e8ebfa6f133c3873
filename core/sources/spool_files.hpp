#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/input_parser.hpp"

// Listing a spool directory in ingest order. Stateless free functions; they
// block on the disk, so SpoolSource runs them on the queue thread.
namespace leadsync {

// A file a writer has finished with, ready to be ingested.
struct SpoolFile {
  std::string name;
  std::int64_t mtime_ns = 0;
  InputFormat format = InputFormat::kCsv;
};

// An entry that is never read, and why ("a symbolic link", "a FIFO", ...).
struct RefusedEntry {
  std::string name;
  std::string reason;
};

struct SpoolListing {
  std::vector<SpoolFile> files;          // ingest order: oldest mtime first, then name
  std::vector<std::string> unsupported;  // names no format fits (format auto only)
  std::vector<RefusedEntry> refused;     // not regular files, or over max_file_size
  std::string error;                     // set when the directory cannot be read
};

// Lists the directory open as `dir_fd` without following any entry: regular
// files within `max_file_size` are listed, skipping those still being
// written (a name starting with '.' or ending in ".tmp") and "done".
// Symbolic links, FIFOs, devices, sockets, directories and larger files are
// refused. Without a `format` the extension picks it (.csv,
// .jsonl/.ndjson, .json); other names are listed as unsupported.
[[nodiscard]] SpoolListing ListSpool(int dir_fd, std::optional<InputFormat> format,
                                     std::uint64_t max_file_size);

// Moves the file named by `checkpoint` to the front: it may be committed in
// part or whole but not retired, and no other file may be committed
// (replacing that checkpoint) until it is.
void PutCommittedFirst(SpoolListing& listing, std::string_view checkpoint);

}  // namespace leadsync
