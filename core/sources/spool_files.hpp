#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "config/config.hpp"
#include "core/codec/input_parser.hpp"

// The file-system steps of the spool source: listing a spool directory in
// ingest order, reading a file whole, naming a file by its identity, and
// retiring it once committed. Stateless free functions; they block on the
// disk, so SpoolSource runs them on the queue thread, never on the loop.
namespace leadsync {

// A file a writer has finished with, ready to be ingested.
struct SpoolFile {
  std::filesystem::path path;
  std::string name;
  std::filesystem::file_time_type mtime;
  InputFormat format = InputFormat::kCsv;
};

struct SpoolListing {
  std::vector<SpoolFile> files;          // ingest order: oldest mtime first, then name
  std::vector<std::string> unsupported;  // names no format fits (format auto only)
  std::string error;                     // set when the directory cannot be read
};

// Lists the regular files of `dir`, skipping those still being written (a
// name starting with '.' or ending in ".tmp") and "done". With format auto
// the extension picks the format (.csv, .jsonl/.ndjson, .json); other names
// are listed as unsupported and left alone.
[[nodiscard]] SpoolListing ListSpool(const std::filesystem::path& dir, config::Format format);

// Moves the file named by `checkpoint` (a FileIdentity) to the front: it may
// have been committed but not retired, and no other file may be committed
// (replacing that checkpoint) until it is.
void PutCommittedFirst(SpoolListing& listing, std::string_view checkpoint);

// Creates `dir`, and `dir`/done when files are moved there after ingest.
// Empty on success, else what went wrong.
[[nodiscard]] std::string PrepareSpool(const std::filesystem::path& dir, config::AfterIngest after);

// "NAME|SIZE|SHA256HEX" (SIZE in bytes, lower-case hex): the checkpoint a
// spool source commits with a file's records.
[[nodiscard]] std::string FileIdentity(const std::string& name, std::string_view contents);

// The whole file, or nullopt with `error` set (no_such_file_or_directory
// when it vanished since it was listed).
[[nodiscard]] std::optional<std::string> ReadWholeFile(const std::filesystem::path& path,
                                                       std::error_code& error);

// Moves the file to `dir`/done/NAME (NAME.1, NAME.2... when that is taken)
// or deletes it. Empty on success, else what went wrong.
[[nodiscard]] std::string RetireFile(const SpoolFile& file, const std::filesystem::path& dir,
                                     config::AfterIngest after);

}  // namespace leadsync
