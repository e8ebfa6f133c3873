#pragma once

#include <chrono>
#include <filesystem>
#include <optional>

#include "core/codec/input_parser.hpp"
#include "core/sources/ingest.hpp"

namespace leadsync {

// Where a tail source starts in a file it has no checkpoint for.
enum class TailStart { kBeginning, kEnd };

// A tail source's settings (daemon/options makes them from `type: tail`).
struct TailOptions {
  IngestOptions ingest{};
  std::filesystem::path path{};         // the file followed
  std::optional<InputFormat> format{};  // nullopt: the name's extension picks it
  TailStart start_at = TailStart::kBeginning;
};

}  // namespace leadsync
