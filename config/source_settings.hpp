#pragma once

#include "config/config.hpp"
#include "config/yaml_walker.hpp"

namespace leadsync::config {

// The keys of one source type, read from its entry in `sources` (the common
// keys and the check that no other type's key is set are sources.cpp's).
// Each reports its problems through `map` and returns what could be read.
[[nodiscard]] SpoolSettings ReadSpool(MapReader& map);
[[nodiscard]] TailSettings ReadTail(MapReader& map);
[[nodiscard]] PostgresSettings ReadPostgres(MapReader& map);
[[nodiscard]] WebhookSettings ReadWebhook(MapReader& map);

}  // namespace leadsync::config
