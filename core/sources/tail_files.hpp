#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/codec/input_buffer.hpp"
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

// Finds where start_at: end starts reading: just past the last complete
// record of a file, so that only records written from then on are read. A
// time-bounded step at a time, so that a large file does not hold the queue
// thread. Borrows the descriptor.
class EndOfRecords final {
 public:
  EndOfRecords(int fd, InputFormat format, std::size_t max_record);
  // The position once the whole file is scanned; nullopt while there is more.
  [[nodiscard]] std::optional<InputPosition> Step(std::chrono::milliseconds budget);

 private:
  InputBuffer input_;
  std::unique_ptr<RecordSplitter> splitter_;
  InputPosition end_;
};

}  // namespace leadsync
