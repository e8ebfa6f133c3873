#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/yaml_walker.hpp"

namespace leadsync::config {

// Reads the required secret `key` (access_key, secret_key, dsn, token) from
// `map`, given either inline as `key` or as a path in `key`_file. A file is
// read whole, less one trailing newline ("\n" or "\r\n"); a relative path is
// resolved against the config file's directory. Reports both keys given,
// neither, an unreadable file (naming the path, at the key), a file other
// accounts may read or replace (CheckSecretFileMode) and an empty secret;
// the secret itself never appears in a message. Leaves `out` alone on error.
void GetSecret(MapReader& map, std::string_view key, std::string& out);

// What is wrong with a secret file whose mode bits are `permissions`, with
// the chmod that fixes it ("'/etc/ak' is readable by other users (mode
// 0644); chmod 0600 /etc/ak, ..."), or nullopt. Refused: any permission for
// others, and write for the group. Group read is allowed: a root-owned file
// in group leadsync, mode 0640, is how a package lets the daemon read it.
[[nodiscard]] std::optional<std::string> CheckSecretFileMode(const std::filesystem::path& path,
                                                             unsigned permissions);

}  // namespace leadsync::config
