#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/codec/input_parser.hpp"
#include "core/sources/ingest.hpp"

namespace leadsync {

// What becomes of a spool file once its records are committed.
enum class AfterIngest { kMove, kDelete };

// A spool source's settings (daemon/options makes them from `type: spool`).
struct SpoolOptions {
  IngestOptions ingest{};
  std::filesystem::path path{};         // the directory watched
  std::optional<InputFormat> format{};  // nullopt: each file's extension picks it
  AfterIngest after = AfterIngest::kMove;
  std::uint64_t max_file_size = std::uint64_t{1024} * 1024 * 1024;  // larger files are refused
  bool create = false;  // create `path` when missing; otherwise Open() fails until it exists
};

}  // namespace leadsync
