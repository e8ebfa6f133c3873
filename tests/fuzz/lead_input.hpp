#pragma once

// What the CSV and JSON fuzz targets share: one input read the two ways the
// daemon reads files, whole (Ingest) and streamed a few records at a time
// from a descriptor (IngestStream), which must agree on what they found.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <string_view>

#include "core/sources/ingest.hpp"
#include "core/sources/ingest_stream.hpp"
#include "core/sources/unique_fd.hpp"

namespace leadsync::fuzz {

struct Counts {
  std::size_t leads = 0;
  std::size_t rejections = 0;
  bool operator==(const Counts&) const = default;
};

inline Counts Streamed(std::string_view text, InputFormat format, const IngestOptions& options) {
  const UniqueFd fd(::memfd_create("fuzz", MFD_CLOEXEC));
  if (fd.get() < 0 || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    std::abort();
  }
  IngestStream stream({fd.get(), true, text.size(), true}, format, options, "fuzz");
  Counts counts;
  IngestChunk chunk;
  do {
    chunk = stream.Next({.records = 3});
    counts.leads += chunk.batch.leads.size();
    counts.rejections += chunk.batch.rejections.size();
  } while (chunk.state == IngestChunk::State::kMore);
  return counts;
}

inline void ReadLeadInput(std::string_view text, InputFormat format) {
  MappingOptions mapping;
  mapping.fields["Email"].to = "EmailAddress";
  mapping.fields["mobile"] = {"Phone", false, {ValueType::kPhone, "", "", "+91"}};
  mapping.fields["internal_id"].drop = true;
  mapping.constants["Source"] = "fuzz";
  IngestOptions options{"fuzz", Mapping(std::move(mapping)), "EmailAddress"};
  const IngestBatch whole = Ingest(text, format, options, "fuzz");
  if (Streamed(text, format, options) != Counts{whole.leads.size(), whole.rejections.size()}) std::abort();
  options.limits = ParseLimits{.max_record = 64, .max_attributes = 4};
  (void)Ingest(text, format, options, "fuzz");
}

}  // namespace leadsync::fuzz
