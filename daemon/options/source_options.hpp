#pragma once

#include "config/config.hpp"
#include "core/mapping/mapping.hpp"
#include "core/sources/ingest.hpp"
#include "core/sources/postgres_options.hpp"
#include "core/sources/spool_options.hpp"
#include "core/sources/tail_options.hpp"
#include "core/sources/webhook_options.hpp"

// The options each source part takes, from a `sources:` entry. The only
// place that reads config::Source for the sources; secrets go only to the
// part that sends them (the postgres DSN, the webhook token and TLS key).
namespace leadsync::daemon {

// The mapping settings (renames, drops, conversions, constants, empty).
[[nodiscard]] MappingOptions MappingOptionsFrom(const config::Source& source);
// What every source type shares: name, mapping, search_by, the record caps;
// `max_request_bytes` is leadsquared's (a lead alone over it is too_large).
[[nodiscard]] IngestOptions IngestOptionsFrom(const config::Source& source, std::uint64_t max_request_bytes);
// A source's `priority`.
[[nodiscard]] Priority PriorityFrom(const config::Source& source);
// A file format; nullopt for auto (the name's extension decides).
[[nodiscard]] std::optional<InputFormat> InputFormatFrom(config::Format format);

// Each throws std::bad_variant_access for a source of another type.
// `max_request_bytes` as IngestOptionsFrom's.
[[nodiscard]] SpoolOptions SpoolOptionsFrom(
    const config::Source& source, std::uint64_t max_request_bytes = config::kDefaultMaxRequestBytes);
[[nodiscard]] TailOptions TailOptionsFrom(const config::Source& source,
                                          std::uint64_t max_request_bytes = config::kDefaultMaxRequestBytes);
[[nodiscard]] PostgresOptions PostgresOptionsFrom(
    const config::Source& source, std::uint64_t max_request_bytes = config::kDefaultMaxRequestBytes);
[[nodiscard]] WebhookOptions WebhookOptionsFrom(
    const config::Source& source, std::uint64_t max_request_bytes = config::kDefaultMaxRequestBytes);

}  // namespace leadsync::daemon
